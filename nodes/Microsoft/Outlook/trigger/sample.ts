/** Manual runs of the trigger ("Fetch test event"): the newest matching messages of the first folder, so the user sees real data. */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import type { MicrosoftConnection } from '../../shared/connection';
import { encodePathSegment } from '../../shared/input';
import { graphRequest } from '../../shared/transport';
import { simplifyMessage } from '../helpers/simplify';
import { matchesFilters, type MessageTriggerSettings } from './newMessages';

const SAMPLE_SIZE = 10;

export async function sampleMessages(ctx: IPollFunctions, conn: MicrosoftConnection, settings: MessageTriggerSettings): Promise<INodeExecutionData[][] | null> {
	const response = await graphRequest<{ value?: IDataObject[] }>(ctx, conn, {
		url: `${settings.mailboxPath}/mailFolders/${encodePathSegment(settings.folders[0], 'Folders')}/messages`,
		qs: { $top: 50, $orderby: 'receivedDateTime desc' },
		operation: 'read recent messages',
	});
	const messages = (response.body.value ?? []).filter((message) => matchesFilters(message, settings.filters)).slice(0, SAMPLE_SIZE);
	return messages.length ? [messages.map((message) => ({ json: settings.raw ? message : simplifyMessage(message) }))] : null;
}
