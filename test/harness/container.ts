/**
 * Sets up n8n-core's dependency-injection container the way n8n's own start-up does, but in a temp
 * folder: InstanceSettings (n8n user folder, encryption key), the Logger, the ErrorReporter and a
 * BinaryDataService in the requested mode. n8n-core's contexts and helpers fetch these through
 * `Container.get(...)` at call time, so whatever is registered here is what the real code uses.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import {
	BinaryDataConfig,
	BinaryDataService,
	Cipher,
	EncryptionKeyProxy,
	ErrorReporter,
	InstanceSettings,
	type IEncryptionKeyProvider,
	type KeyInfo,
} from 'n8n-core';
import { Expression } from 'n8n-workflow';

export type BinaryMode = 'default' | 'filesystem';

let baseFolder: string | undefined;

/** Environment n8n reads while its config classes are constructed; set once, before the first Container.get. */
function prepareEnvironment(): string {
	if (baseFolder) return baseFolder;
	baseFolder = mkdtempSync(join(tmpdir(), 'n8n-harness-'));
	process.env.N8N_USER_FOLDER = baseFolder;
	process.env.N8N_ENCRYPTION_KEY ??= 'n8n-harness-test-key';
	process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
	// n8n's winston logger writes to the console; keep test output clean unless asked for.
	process.env.N8N_LOG_LEVEL ??= 'silent';
	// Node 20 cannot run the isolated-vm expression engine; the legacy engine is n8n-workflow's default.
	Expression.setExpressionEngine('legacy');
	return baseFolder;
}

/**
 * Creates a BinaryDataService for `mode` (filesystem files under `storagePath`) and registers it.
 * n8n-core looks the service up by class at call time, so the harness re-registers its own service
 * (`activateBinaryDataService`) whenever one of its methods runs; with several harnesses in one test
 * file, contexts use the service of the harness that ran last.
 */
export function createBinaryDataService(mode: BinaryMode, storagePath: string): { service: BinaryDataService; ready: Promise<void> } {
	prepareEnvironment();
	const config = Container.get(BinaryDataConfig);
	const modeConfig = Object.assign(Object.create(Object.getPrototypeOf(config) as object) as BinaryDataConfig, config, {
		mode,
		availableModes: ['filesystem'],
		localStoragePath: storagePath,
	});
	const service = new BinaryDataService(modeConfig, Container.get(ErrorReporter), Container.get(Logger));
	// init() creates the filesystem manager synchronously, then creates its folder; in 'default' mode
	// store() keeps data in memory (base64) and never touches the manager.
	const ready = service.init();
	activateBinaryDataService(service);
	return { service, ready };
}

export function activateBinaryDataService(service: BinaryDataService): void {
	Container.set(BinaryDataService, service);
}

let keyProviderInstalled = false;

/**
 * n8n's CLI registers a database-backed encryption key provider; the harness registers one data key,
 * wrapped with the instance key exactly as n8n stores it, so n8n-core's Credentials class encrypts and
 * decrypts stored credentials for real.
 */
function installEncryptionKeyProvider(): void {
	if (keyProviderInstalled) return;
	const cipher = Container.get(Cipher);
	const activeKey: KeyInfo = {
		id: 'harness-key',
		value: cipher.encryptDEKWithInstanceKey(randomBytes(32).toString('hex')),
		algorithm: 'aes-256-gcm',
		format: 'prefixed',
	};
	const legacyKey: KeyInfo = {
		id: 'legacy',
		value: cipher.encryptDEKWithInstanceKey(Container.get(InstanceSettings).encryptionKey),
		algorithm: 'aes-256-cbc',
		format: 'no-prefix',
	};
	const provider: IEncryptionKeyProvider = {
		getActiveKey: async () => activeKey,
		getKeyById: async (id) => (id === activeKey.id ? activeKey : null),
		getLegacyKey: async () => legacyKey,
	};
	Container.get(EncryptionKeyProxy).setProvider(provider);
	keyProviderInstalled = true;
}

/** Makes sure InstanceSettings, the Logger and encryption exist (NodeExecutionContext reads the first two). */
export function ensureContainer(): { n8nFolder: string } {
	const folder = prepareEnvironment();
	Container.get(InstanceSettings);
	Container.get(Logger);
	installEncryptionKeyProvider();
	return { n8nFolder: folder };
}

let liveTempDirs = 0;

/** A temp dir under the n8n user folder; the user folder goes away with the last one released. */
export function newTempDir(prefix: string): string {
	const base = prepareEnvironment();
	mkdirSync(base, { recursive: true });
	liveTempDirs++;
	return mkdtempSync(join(base, prefix));
}

export function releaseTempDir(dir: string): void {
	rmSync(dir, { recursive: true, force: true });
	liveTempDirs = Math.max(0, liveTempDirs - 1);
	// n8n only writes its settings file at start-up; later harnesses recreate the folder they need.
	if (liveTempDirs === 0 && baseFolder) rmSync(baseFolder, { recursive: true, force: true });
}
