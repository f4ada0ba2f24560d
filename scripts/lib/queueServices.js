// @ts-check
'use strict';
/**
 * PostgreSQL and Redis for n8n's queue mode, from Debian's packages: installed with apt-get when missing (as
 * root, the way .ci/run installs Chromium), each started on 127.0.0.1 on a free port with its data in a
 * temporary folder, and stopped (data removed) afterwards. Nothing is installed as a service or left running.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startProcess, runCaptured, freePort } = require('./processes');
const { log } = require('./runtime');

/** Debian's packages: `postgresql` brings /usr/lib/postgresql/<version>/bin, `redis-server` /usr/bin/redis-server. */
const PACKAGES = { postgres: 'postgresql', redis: 'redis-server' };
/** initdb refuses to run as root; Debian's postgresql package creates this user. */
const POSTGRES_OS_USER = 'postgres';
const DB_USER = 'n8n';
const DB_NAME = 'n8n';

/** The newest PostgreSQL server binaries folder Debian installed, or undefined. */
function postgresBinDir() {
	const base = '/usr/lib/postgresql';
	if (!fs.existsSync(base)) return undefined;
	const versions = fs
		.readdirSync(base)
		.filter((name) => fs.existsSync(path.join(base, name, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length > 0 ? path.join(base, versions[0], 'bin') : undefined;
}

function redisServerPath() {
	return ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((file) => fs.existsSync(file));
}

function isRoot() {
	return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Installs postgresql / redis-server with apt-get when their binaries are missing (root only). */
async function ensureQueuePackages() {
	const missing = [];
	if (!postgresBinDir()) missing.push(PACKAGES.postgres);
	if (!redisServerPath()) missing.push(PACKAGES.redis);
	if (missing.length === 0) return { installed: [], seconds: 0 };
	if (!isRoot()) throw new Error(`queue mode needs ${missing.join(' and ')} from Debian: run \`sudo apt-get install -y ${missing.join(' ')}\``);
	const started = Date.now();
	log(`installing ${missing.join(', ')} (apt-get, for queue mode)`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	for (const args of [['update', '-qq'], ['install', '-y', '-qq', ...missing]]) {
		const result = await runCaptured('apt-get', args, { env, timeoutMs: 600000 });
		if (result.code !== 0) throw new Error(`apt-get ${args.join(' ')} failed (${result.code}):\n${(result.stdout + result.stderr).slice(-3000)}`);
	}
	if (!postgresBinDir() || !redisServerPath()) throw new Error(`apt-get installed ${missing.join(', ')} but the binaries are still missing`);
	const seconds = Math.round((Date.now() - started) / 1000);
	log(`installed ${missing.join(', ')} in ${seconds} s`);
	return { installed: missing, seconds };
}

/** Runs a command as the postgres OS user when we are root (initdb and postgres refuse root). */
function asPostgresUser(command, args) {
	return isRoot() ? { command: 'runuser', args: ['-u', POSTGRES_OS_USER, '--', command, ...args] } : { command, args };
}

async function waitUntil(what, probe, timeoutMs, exited) {
	const deadline = Date.now() + timeoutMs;
	let ended = false;
	exited?.then(() => {
		ended = true;
	});
	for (;;) {
		if (await probe()) return;
		if (ended) throw new Error(`${what} exited before it was ready`);
		if (Date.now() > deadline) throw new Error(`${what} was not ready within ${timeoutMs / 1000} s`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/**
 * A throw-away PostgreSQL cluster on 127.0.0.1 (trust auth on loopback only, fsync off: test data).
 * @param {string} dir parent folder for the data and log
 */
async function startPostgres(dir) {
	const bin = postgresBinDir();
	if (!bin) throw new Error('PostgreSQL is not installed (ensureQueuePackages first)');
	const dataDir = path.join(dir, 'postgres');
	fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
	if (isRoot()) {
		const { uid, gid } = osUser(POSTGRES_OS_USER);
		fs.chownSync(dir, uid, gid);
		fs.chownSync(dataDir, uid, gid);
	}
	const init = asPostgresUser(path.join(bin, 'initdb'), ['-D', dataDir, '-U', DB_USER, '--auth=trust', '--encoding=UTF8', '--no-sync']);
	const initResult = await runCaptured(init.command, init.args, { timeoutMs: 120000 });
	if (initResult.code !== 0) throw new Error(`initdb failed (${initResult.code}):\n${initResult.stdout}${initResult.stderr}`);
	const port = await freePort();
	const logFile = path.join(dir, 'postgres.log');
	fs.writeFileSync(logFile, '');
	if (isRoot()) fs.chownSync(logFile, osUser(POSTGRES_OS_USER).uid, osUser(POSTGRES_OS_USER).gid);
	const serverArgs = ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'];
	const server = asPostgresUser(path.join(bin, 'postgres'), serverArgs);
	const proc = startProcess(server.command, server.args, { env: process.env, cwd: dir, logFile });
	await waitUntil('postgres', async () => (await runCaptured(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], { timeoutMs: 5000 })).code === 0, 60000, proc.exited);
	const created = await psqlAt(port, 'postgres', `CREATE DATABASE ${DB_NAME}`);
	if (created.code !== 0) throw new Error(`creating database ${DB_NAME} failed: ${created.stderr}`);
	return {
		port,
		logFile,
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: DB_NAME,
			DB_POSTGRESDB_USER: DB_USER,
			DB_POSTGRESDB_PASSWORD: 'not-checked-on-loopback',
		},
		/** Runs SQL in n8n's database; rows as arrays of column strings (psql's unaligned output). */
		async query(sql) {
			const result = await psqlAt(port, DB_NAME, sql);
			if (result.code !== 0) throw new Error(`psql: ${sql} → ${result.stderr}`);
			return result.stdout.split('\n').filter(Boolean).map((row) => row.split('|'));
		},
		stop: () => proc.stop(15000),
	};
}

function psqlAt(port, database, sql) {
	const psql = fs.existsSync(path.join(postgresBinDir() || '', 'psql')) ? path.join(postgresBinDir() || '', 'psql') : 'psql';
	return runCaptured(psql, ['-h', '127.0.0.1', '-p', String(port), '-U', DB_USER, '-d', database, '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql], { timeoutMs: 30000 });
}

function osUser(name) {
	const line = fs
		.readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((entry) => entry.startsWith(`${name}:`));
	if (!line) throw new Error(`no OS user "${name}" (Debian's postgresql package creates it)`);
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

/**
 * A throw-away Redis on 127.0.0.1 without persistence.
 * @param {string} dir folder for its log
 */
async function startRedis(dir) {
	const redis = redisServerPath();
	if (!redis) throw new Error('redis-server is not installed (ensureQueuePackages first)');
	const port = await freePort();
	const logFile = path.join(dir, 'redis.log');
	const proc = startProcess(redis, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'], { env: process.env, cwd: dir, logFile });
	const cli = fs.existsSync('/usr/bin/redis-cli') ? '/usr/bin/redis-cli' : 'redis-cli';
	await waitUntil('redis', async () => (await runCaptured(cli, ['-h', '127.0.0.1', '-p', String(port), 'ping'], { timeoutMs: 5000 }).catch(() => ({ stdout: '' }))).stdout.includes('PONG'), 30000, proc.exited);
	return {
		port,
		logFile,
		env: { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port) },
		stop: () => proc.stop(10000),
	};
}

/** A fresh temporary folder for the databases' data (readable by the postgres user). */
function servicesDir() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-services-'));
	fs.chmodSync(dir, 0o755);
	// Also when the run ends early (a failed start, Ctrl-C): the processes are killed on exit, then their data goes.
	process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
	return dir;
}

module.exports = { ensureQueuePackages, startPostgres, startRedis, servicesDir, postgresBinDir, redisServerPath };
