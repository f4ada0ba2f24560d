/** Where chat messages live: a chat. */
import { MAX_PAGE_SIZE } from '../../../shared/paging';
import { chatLocator, chatPath, showFor } from '../common';
import type { MessagePlace } from '../messageOps';

export const CHAT: MessagePlace = {
	resource: 'chatMessage',
	locators: (operation) => [chatLocator(showFor('chatMessage', operation))],
	path(itemIndex) {
		return chatPath.call(this, itemIndex);
	},
	target() {
		return {};
	},
	pageSize: MAX_PAGE_SIZE.chatMessages,
};
