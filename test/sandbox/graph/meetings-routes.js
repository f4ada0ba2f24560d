// @ts-check
'use strict';

/**
 * Online meetings (standalone Teams meetings, not calendar events):
 *   POST /me/onlineMeetings                 { startDateTime?, endDateTime?, subject?, participants?, lobbyBypassSettings?,
 *                                           allowedPresenters?, isEntryExitAnnounced?, externalId? } → 201 with joinWebUrl
 *                                           (start defaults to now, end to start + 1 h; end before start → 400)
 *   GET  /me/onlineMeetings?$filter=JoinWebUrl eq '…'    (the only list form Graph has)
 *   GET|PATCH|DELETE /me/onlineMeetings/{id}             PATCH → 200 with the meeting; DELETE → 204
 *   the same under /users/{id|upn}/onlineMeetings: delegated only for the signed-in user; an app token needs
 *   OnlineMeetings.Read(Write).All AND an application access policy for that user (`sandbox.teams.grantMeetingPolicy`),
 *   else 403 `Forbidden` "No application access policy found for this app".
 */

const crypto = require('node:crypto');
const { httpError } = require('../router');
const { PERMISSIONS, authorize, readObject, FORBIDDEN } = require('./teams-access');

/**
 * @typedef {{ id: string, tenantId: string, organizerId: string, subject: string | null, startDateTime: string, endDateTime: string,
 *   creationDateTime: string, joinWebUrl: string, threadId: string, joinMeetingId: string, externalId: string | null,
 *   allowedPresenters: string, isEntryExitAnnounced: boolean, lobbyBypassSettings: { scope: string, isDialInBypassEnabled: boolean },
 *   attendees: Array<{ upn: string | null, role: string, userId: string | null }> }} OnlineMeeting
 * @typedef {{ meetings: Map<string, OnlineMeeting>, policies: Map<string, Set<string> | 'global'> }} MeetingStore
 * @typedef {import('../router').Context} Context
 * @typedef {import('../router').AuthInfo} AuthInfo
 */

const PRESENTERS = ['everyone', 'organization', 'roleIsPresenter', 'organizer'];
const LOBBY_SCOPES = ['organizer', 'organization', 'organizationAndFederated', 'everyone', 'invited', 'organizationExcludingGuests'];

/** @param {OnlineMeeting} meeting @param {(id: string) => any} findUser */
function meetingJson(meeting, findUser) {
	const organizer = findUser(meeting.organizerId);
	const identity = (/** @type {string | null} */ id) => {
		const user = id ? findUser(id) : null;
		return { user: user ? { '@odata.type': '#microsoft.graph.communicationsUserIdentity', id: user.id, displayName: null, tenantId: user.tenant } : null };
	};
	return {
		id: meeting.id,
		creationDateTime: meeting.creationDateTime,
		startDateTime: meeting.startDateTime,
		endDateTime: meeting.endDateTime,
		joinWebUrl: meeting.joinWebUrl,
		subject: meeting.subject,
		externalId: meeting.externalId,
		isBroadcast: false,
		isEntryExitAnnounced: meeting.isEntryExitAnnounced,
		allowedPresenters: meeting.allowedPresenters,
		allowMeetingChat: 'enabled',
		allowTeamworkReactions: true,
		videoTeleconferenceId: null,
		participants: {
			organizer: { upn: organizer?.userPrincipalName ?? null, role: 'presenter', identity: identity(meeting.organizerId) },
			attendees: meeting.attendees.map((a) => ({ upn: a.upn, role: a.role, identity: identity(a.userId) })),
		},
		lobbyBypassSettings: { ...meeting.lobbyBypassSettings },
		joinMeetingIdSettings: { isPasscodeRequired: false, joinMeetingId: meeting.joinMeetingId, passcode: null },
		chatInfo: { threadId: meeting.threadId, messageId: '0', replyChainMessageId: null },
		joinInformation: { content: `data:text/html,${encodeURIComponent(`<p>Join: <a href="${meeting.joinWebUrl}">Microsoft Teams meeting</a></p>`)}`, contentType: 'html' },
	};
}

/** @param {unknown} value @param {string} name */
function dateTime(value, name) {
	if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw httpError(400, 'BadRequest', `${name} must be an ISO 8601 date-time.`);
	return new Date(Date.parse(value)).toISOString();
}

/**
 * @param {import('../router').Router} router
 * @param {{ meetings: MeetingStore, state: any }} env
 */
function registerMeetingRoutes(router, env) {
	const { meetings: store, state } = env;
	const findUser = (/** @type {string} */ id) => state.findUser(id);

	/** The organizer of a request (`/me` or `/users/{id}`), with the application access policy rule. @param {Context} ctx @param {AuthInfo} auth */
	const organizerOf = (ctx, auth) => {
		if (ctx.params.user === undefined) return /** @type {string} */ (auth.userId);
		const user = findUser(ctx.params.user);
		if (!user || user.tenant !== auth.tenantId) throw httpError(404, 'NotFound', `User ${ctx.params.user} was not found.`);
		if (!auth.appOnly) {
			if (user.id !== auth.userId) throw FORBIDDEN();
			return user.id;
		}
		const policy = store.policies.get(auth.appId);
		if (!policy || (policy !== 'global' && !policy.has(user.id))) throw httpError(403, 'Forbidden', 'No application access policy found for this app');
		return user.id;
	};
	/** @param {AuthInfo} auth @param {string} organizerId @param {string} id */
	const meetingOf = (auth, organizerId, id) => {
		const meeting = store.meetings.get(id);
		if (!meeting || meeting.tenantId !== auth.tenantId || meeting.organizerId !== organizerId) throw httpError(404, 'NotFound', `Online meeting ${id} was not found.`);
		return meeting;
	};
	/** @param {Record<string, any>} input @param {OnlineMeeting} meeting */
	const apply = (input, meeting) => {
		if (input.subject !== undefined) meeting.subject = input.subject === null ? null : String(input.subject);
		if (input.startDateTime !== undefined) meeting.startDateTime = dateTime(input.startDateTime, 'startDateTime');
		if (input.endDateTime !== undefined) meeting.endDateTime = dateTime(input.endDateTime, 'endDateTime');
		if (Date.parse(meeting.endDateTime) < Date.parse(meeting.startDateTime)) throw httpError(400, 'BadRequest', 'endDateTime cannot be earlier than startDateTime.');
		if (input.allowedPresenters !== undefined) {
			if (!PRESENTERS.includes(input.allowedPresenters)) throw httpError(400, 'BadRequest', `allowedPresenters must be one of ${PRESENTERS.join(', ')}.`);
			meeting.allowedPresenters = input.allowedPresenters;
		}
		if (input.isEntryExitAnnounced !== undefined) meeting.isEntryExitAnnounced = Boolean(input.isEntryExitAnnounced);
		if (input.lobbyBypassSettings !== undefined) {
			const scope = input.lobbyBypassSettings?.scope ?? meeting.lobbyBypassSettings.scope;
			if (!LOBBY_SCOPES.includes(scope)) throw httpError(400, 'BadRequest', `lobbyBypassSettings.scope must be one of ${LOBBY_SCOPES.join(', ')}.`);
			meeting.lobbyBypassSettings = { scope, isDialInBypassEnabled: Boolean(input.lobbyBypassSettings?.isDialInBypassEnabled ?? meeting.lobbyBypassSettings.isDialInBypassEnabled) };
		}
		if (input.participants?.attendees !== undefined) {
			if (!Array.isArray(input.participants.attendees)) throw httpError(400, 'BadRequest', 'participants.attendees must be an array.');
			meeting.attendees = input.participants.attendees.map((/** @type {any} */ a) => {
				const userId = a?.identity?.user?.id ?? null;
				const user = userId ? findUser(userId) : a?.upn ? findUser(a.upn) : null;
				return { upn: a?.upn ?? user?.userPrincipalName ?? null, role: a?.role ?? 'attendee', userId: user ? user.id : userId };
			});
		}
	};

	for (const prefix of ['/v1.0/me/onlineMeetings', '/v1.0/users/:user/onlineMeetings']) {
		const meta = (/** @type {Context} */ ctx) => `${ctx.sandbox.graphUrl}/v1.0/$metadata#users('${ctx.params.user ?? ctx.auth?.userId}')/onlineMeetings`;

		router.add('POST', prefix, async (ctx) => {
			const auth = authorize(ctx, PERMISSIONS.meetingWrite);
			const organizerId = organizerOf(ctx, auth);
			const input = await readObject(ctx);
			const start = input.startDateTime === undefined ? new Date().toISOString() : dateTime(input.startDateTime, 'startDateTime');
			const thread = `19:meeting_${crypto.randomBytes(24).toString('base64url')}@thread.v2`;
			/** @type {OnlineMeeting} */
			const meeting = {
				id: Buffer.from(`1*${organizerId}*0**${thread}`).toString('base64url'), tenantId: auth.tenantId, organizerId, subject: null,
				startDateTime: start, endDateTime: input.endDateTime === undefined ? new Date(Date.parse(start) + 3600000).toISOString() : dateTime(input.endDateTime, 'endDateTime'),
				creationDateTime: new Date().toISOString(), threadId: thread, externalId: typeof input.externalId === 'string' ? input.externalId : null,
				joinWebUrl: `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(thread)}/0?context=${encodeURIComponent(JSON.stringify({ Tid: auth.tenantId, Oid: organizerId }))}`,
				joinMeetingId: String(crypto.randomInt(100000000, 999999999)) + String(crypto.randomInt(1000, 9999)),
				allowedPresenters: 'everyone', isEntryExitAnnounced: true, lobbyBypassSettings: { scope: 'organization', isDialInBypassEnabled: false }, attendees: [],
			};
			apply({ ...input, startDateTime: undefined, endDateTime: undefined }, meeting);
			if (Date.parse(meeting.endDateTime) < Date.parse(meeting.startDateTime)) throw httpError(400, 'BadRequest', 'endDateTime cannot be earlier than startDateTime.');
			store.meetings.set(meeting.id, meeting);
			return ctx.json(201, { '@odata.type': '#microsoft.graph.onlineMeeting', '@odata.context': `${meta(ctx)}/$entity`, ...meetingJson(meeting, findUser) });
		});

		router.add('GET', prefix, (ctx) => {
			const auth = authorize(ctx, PERMISSIONS.meetingRead);
			const organizerId = organizerOf(ctx, auth);
			const m = /^joinWebUrl\s+eq\s+'((?:[^']|'')*)'$/i.exec((ctx.query.$filter ?? '').trim());
			if (!m) throw httpError(400, 'BadRequest', "Listing online meetings needs $filter=JoinWebUrl eq '{joinWebUrl}'.");
			const url = m[1].replace(/''/g, "'");
			const found = [...store.meetings.values()].filter((x) => x.organizerId === organizerId && x.tenantId === auth.tenantId && x.joinWebUrl === url);
			return ctx.json(200, { '@odata.context': meta(ctx), value: found.map((x) => meetingJson(x, findUser)) });
		});

		router.add('GET', `${prefix}/:meetingId`, (ctx) => {
			const auth = authorize(ctx, PERMISSIONS.meetingRead);
			const meeting = meetingOf(auth, organizerOf(ctx, auth), ctx.params.meetingId);
			return ctx.json(200, { '@odata.context': `${meta(ctx)}/$entity`, ...meetingJson(meeting, findUser) });
		});

		router.add('PATCH', `${prefix}/:meetingId`, async (ctx) => {
			const auth = authorize(ctx, PERMISSIONS.meetingWrite);
			const meeting = meetingOf(auth, organizerOf(ctx, auth), ctx.params.meetingId);
			const input = await readObject(ctx);
			const allowed = ['subject', 'startDateTime', 'endDateTime', 'participants', 'lobbyBypassSettings', 'allowedPresenters', 'isEntryExitAnnounced'];
			for (const key of Object.keys(input)) if (!allowed.includes(key)) throw httpError(400, 'BadRequest', `Property '${key}' cannot be updated on an online meeting.`);
			const copy = { ...meeting, lobbyBypassSettings: { ...meeting.lobbyBypassSettings }, attendees: [...meeting.attendees] };
			apply(input, copy);
			Object.assign(meeting, copy);
			return ctx.json(200, { '@odata.context': `${meta(ctx)}/$entity`, ...meetingJson(meeting, findUser) });
		});

		router.add('DELETE', `${prefix}/:meetingId`, (ctx) => {
			const auth = authorize(ctx, PERMISSIONS.meetingWrite);
			const meeting = meetingOf(auth, organizerOf(ctx, auth), ctx.params.meetingId);
			store.meetings.delete(meeting.id);
			return ctx.send(204, null);
		});
	}
}

module.exports = { registerMeetingRoutes, meetingJson };
