/** Archive and unarchive: one POST each; Teams answers 202 and finishes in the background. */
import type { INodePropertyOptions } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { showFor, teamId, teamLocator, teamPath, type TeamsOperation } from '../common';

const OPTIONS: Record<'archive' | 'unarchive', INodePropertyOptions> = {
	archive: { name: 'Archive', value: 'archive', action: 'Archive a team', description: 'Make a team read-only' },
	unarchive: { name: 'Unarchive', value: 'unarchive', action: 'Unarchive a team' },
};

export function archiveOperation(kind: 'archive' | 'unarchive'): TeamsOperation {
	return {
		option: OPTIONS[kind],
		description: [teamLocator(showFor('team', kind))],
		async execute(itemIndex, run) {
			// Repeating either is harmless: the team ends in the same state.
			await graphRequest(this, run.conn, { method: 'POST', url: `${teamPath.call(this, itemIndex)}/${kind}`, itemIndex, operation: `${kind} the team`, idempotent: true });
			return { id: teamId.call(this, itemIndex), archived: kind === 'archive' };
		},
	};
}
