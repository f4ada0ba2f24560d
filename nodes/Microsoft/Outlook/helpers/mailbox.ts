/** Where the chosen mailbox lives in Graph (`/me` or `/users/{address}`). No request is sent. */
import type { NodeContext } from '../../shared/node/parameters';
import { resolveTarget, type ResolvedTarget } from '../../shared/node/target';
import { MAILBOX_TARGET } from '../descriptions/mailbox';

export function resolveMailbox(ctx: NodeContext, itemIndex = 0): ResolvedTarget {
	return resolveTarget(ctx, MAILBOX_TARGET, itemIndex);
}
