import { rl, startOneDriveEnv, type OneDriveEnv } from './onedrive-setup';

let env: OneDriveEnv;
beforeAll(async () => {
	env = await startOneDriveEnv();
});
afterAll(async () => env?.stop());

it('lists root', async () => {
	const out = await env.run({ resource: 'folder', operation: 'listChildren', folderId: rl('path', '/'), returnAll: true });
	console.log(JSON.stringify(out.slice(0, 3), null, 1), out.length);
	console.log(env.requests().map((r) => `${r.method} ${r.host} ${r.path} ${r.status}`));
});
