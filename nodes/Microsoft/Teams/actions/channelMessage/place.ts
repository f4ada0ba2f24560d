/** Where channel messages live: a team's channel. */
import { MAX_PAGE_SIZE } from '../../../shared/paging';
import { channelId, channelLocator, channelPath, showFor, teamId, teamLocator } from '../common';
import type { MessagePlace } from '../messageOps';

export const CHANNEL: MessagePlace = {
	resource: 'channelMessage',
	locators: (operation) => [teamLocator(showFor('channelMessage', operation)), channelLocator(showFor('channelMessage', operation))],
	path(itemIndex) {
		return channelPath.call(this, itemIndex);
	},
	target(itemIndex) {
		return { teamId: teamId.call(this, itemIndex), channelId: channelId.call(this, itemIndex) };
	},
	pageSize: MAX_PAGE_SIZE.channelMessages,
};
