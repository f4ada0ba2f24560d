/** Members of a team or of one of its (private / shared) channels. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { channelLocator, channelPath, showFor, teamLocator, teamPath } from '../common';

export function memberScopeProperties(operation: string): INodeProperties[] {
	return [
		teamLocator(showFor('member', operation)),
		{
			displayName: 'Of',
			name: 'memberScope',
			type: 'options',
			options: [
				{ name: 'Team', value: 'team' },
				{ name: 'Channel', value: 'channel', description: 'A private or shared channel' },
			],
			default: 'team',
			description: 'Whose members',
			displayOptions: showFor('member', operation),
		},
		channelLocator(showFor('member', operation, { memberScope: ['channel'] })),
	];
}

/** `/teams/{t}/members` or `/teams/{t}/channels/{c}/members`. */
export function membersPath(this: IExecuteFunctions, itemIndex: number): string {
	const base = this.getNodeParameter('memberScope', itemIndex, 'team') === 'channel' ? channelPath.call(this, itemIndex) : teamPath.call(this, itemIndex);
	return `${base}/members`;
}
