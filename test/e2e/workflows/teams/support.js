// @ts-check
'use strict';
/** Shared by the Teams workflow cases and the Teams picker tests (not a case itself: only `*.json` files are cases). */
const { SEED } = require('../../../sandbox/seed');

const NODE_TYPE = 'n8n-nodes-microsoft-365.microsoft365Teams';
const SALES = SEED.teams.sales;
const GENERAL = SALES.channels.general;
const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** Messages of a channel as the sandbox holds them (control route, no token), newest first. */
async function channelMessages(ctx, team, channel) {
	return ctx.sandboxRequest('GET', `/_sandbox/teams/${encodeURIComponent(team)}/channels/${encodeURIComponent(channel)}/messages`);
}

module.exports = { NODE_TYPE, SALES, GENERAL, ADAPTIVE_CARD, channelMessages };
