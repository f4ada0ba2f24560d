/**
 * Teams approvals (Send and Wait) against the sandbox: the card's buttons are this execution's waiting URLs (which
 * open n8n's confirmation page; the shared approval tests and the e2e case prove GET records nothing and the POST
 * resumes), the execution waits (until the limit when one is set), app-only stops before posting.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { CHATS, rl, SALES, startTeamsFixture, type TeamsFixture } from './fixture';

const GENERAL = SALES.channels.general.id as string;
const question: INodeParameters = { approvalSubject: 'Ship 2.4?', approvalMessage: 'The release notes are ready.', responseType: 'approval', approvalType: 'double' };

function cardOf(message: IDataObject): IDataObject {
	const attachment = (message.attachments as IDataObject[])[0];
	expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
	return JSON.parse(String(attachment.content)) as IDataObject;
}

describe('send and wait', () => {
	let fx: TeamsFixture;
	afterEach(async () => fx.stop());

	it('posts one approval card to the channel whose buttons open the waiting URLs, and waits', async () => {
		fx = await startTeamsFixture('oAuth2');
		// Two input items still post one card: one execution waits for one answer.
		await fx.run({ resource: 'channelMessage', operation: 'sendAndWait', teamId: rl('id', SALES.id), channelId: rl('id', GENERAL), ...question }, { input: [{ json: {} }, { json: {} }] });
		expect(fx.harness.lastRun?.waitTill).toBeInstanceOf(Date);
		const posted = fx.sandbox.teams.messages(SALES.id, GENERAL).filter((m: IDataObject) => (m.attachments as unknown[] | undefined)?.length);
		expect(posted).toHaveLength(1);
		const card = cardOf(posted[0]);
		expect((card.body as IDataObject[]).map((block) => block.text).slice(0, 2)).toEqual(['Ship 2.4?', 'The release notes are ready.']);
		const actions = card.actions as IDataObject[];
		expect(actions.map((action) => [action.type, action.title])).toEqual([['Action.OpenUrl', 'Approve'], ['Action.OpenUrl', 'Decline']]);
		for (const [action, answer] of [[actions[0], 'approve'], [actions[1], 'decline']] as const) {
			const url = new URL(String(action.url));
			expect(url.pathname).toMatch(/^\/webhook-waiting\//);
			expect(url.searchParams.get('answer')).toBe(answer);
		}
	});

	it('waits until the limit when one is set, and posts choices to a chat', async () => {
		fx = await startTeamsFixture('oAuth2');
		const before = Date.now();
		await fx.run({ resource: 'chatMessage', operation: 'sendAndWait', chatId: rl('id', CHATS.falcon.id), ...question, responseType: 'choices', choices: 'Now, Tomorrow, Never', limitWaitTime: true, waitHours: 2 });
		const waitTill = fx.harness.lastRun?.waitTill as Date;
		expect(Math.round((waitTill.getTime() - before) / 60_000)).toBe(120);
		const [latest] = fx.sandbox.teams.chatMessages(CHATS.falcon.id);
		expect((cardOf(latest).actions as IDataObject[]).map((action) => action.title)).toEqual(['Now', 'Tomorrow', 'Never']);
	});

	it('app-only stops before posting and says why; an empty question is refused before posting', async () => {
		fx = await startTeamsFixture('clientCredentials');
		fx.clearRequests();
		await expect(fx.run({ resource: 'channelMessage', operation: 'sendAndWait', teamId: rl('id', SALES.id), channelId: rl('id', GENERAL), ...question })).rejects.toThrow(/Microsoft does not let an app/);
		await fx.stop();
		fx = await startTeamsFixture('oAuth2');
		fx.clearRequests();
		await expect(fx.run({ resource: 'chatMessage', operation: 'sendAndWait', chatId: rl('id', CHATS.falcon.id), ...question, approvalSubject: ' ' })).rejects.toThrow(/"Subject" is empty/);
		expect(fx.requests().filter((r) => r.method === 'POST' && r.path.includes('/messages'))).toEqual([]);
	});
});
