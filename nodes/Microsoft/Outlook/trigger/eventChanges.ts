/**
 * The Outlook trigger's "event created / updated / cancelled" poll: Graph delta of the default calendar's view
 * over a window (30 days back to a year ahead of activation). The events that existed at activation are remembered
 * (first round); an event not seen before and created after watching started is "created", any other new version
 * (`changeKey`) "updated", removals and cancellations "cancelled" — each once.
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { createHash } from 'node:crypto';

import type { MicrosoftConnection } from '../../shared/connection';
import { pollOutput, readDeltaChanges, rememberSeen, type DeltaState, type DeltaTriggerSpec } from '../../shared/node/deltaTrigger';
import { simplifyEvent } from '../helpers/simplifyEvent';

export type EventChange = 'created' | 'updated' | 'cancelled';

/** The watched window, from activation: what calendarView delta can see. */
const WINDOW_BACK_MS = 30 * 24 * 3600_000;
const WINDOW_AHEAD_MS = 365 * 24 * 3600_000;
/** Events whose creation raced the start of watching by this much still count as old. */
const START_MARGIN_MS = 60 * 1000;
const CANCELLED = '-';

export interface EventTriggerSettings {
	mailboxPath: string;
	changes: EventChange[];
	raw: boolean;
}

/** Decides each delta entry's change and remembers what was emitted. Pure, for unit tests. */
function decideEventChanges(entries: IDataObject[], state: DeltaState, settings: EventTriggerSettings): IDataObject[] {
	const seen = (state.seen ??= {});
	const startedMs = (Date.parse(state.startedAt ?? '') || 0) - START_MARGIN_MS;
	const out: IDataObject[] = [];
	const last = new Map<string, number>();
	entries.forEach((entry, index) => last.set(String(entry.id ?? ''), index));
	entries.forEach((entry, index) => {
		const id = String(entry.id ?? '');
		if (!id || last.get(id) !== index) return;
		const known = seen[id];
		let change: EventChange;
		if (entry['@removed'] !== undefined || entry.isCancelled === true) {
			if (known === CANCELLED) return;
			rememberSeen(seen, id, CANCELLED);
			change = 'cancelled';
		} else {
			const version = String(entry.changeKey ?? entry.lastModifiedDateTime ?? '');
			if (known === version) return;
			const created = known === undefined && (Date.parse(String(entry.createdDateTime ?? '')) || 0) >= startedMs;
			rememberSeen(seen, id, version);
			change = created ? 'created' : 'updated';
		}
		if (!settings.changes.includes(change)) return;
		const shaped = entry['@removed'] !== undefined ? { id } : settings.raw ? entry : simplifyEvent(entry);
		out.push({ change, ...shaped });
	});
	return out;
}

function spec(settings: EventTriggerSettings): DeltaTriggerSpec<DeltaState> {
	return {
		scopeKey: createHash('sha256').update(JSON.stringify([settings.mailboxPath, 'calendarView'])).digest('base64url').slice(0, 16),
		deltaUrl: `${settings.mailboxPath}/calendarView/delta`,
		operation: 'read calendar changes',
		startQuery: (now) => {
			const at = Date.parse(now);
			return { startDateTime: new Date(at - WINDOW_BACK_MS).toISOString(), endDateTime: new Date(at + WINDOW_AHEAD_MS).toISOString() };
		},
		prefer: 'odata.maxpagesize=1000',
		// Events that existed at activation are remembered, so their later changes are updates, never creations.
		baseline: (entries, state) => {
			const seen = (state.seen ??= {});
			for (const entry of entries) if (entry.id) rememberSeen(seen, String(entry.id), String(entry.changeKey ?? entry.lastModifiedDateTime ?? ''));
		},
		decide: (entries, state) => decideEventChanges(entries, state, settings),
	};
}

export async function pollEventChanges(ctx: IPollFunctions, conn: MicrosoftConnection, settings: EventTriggerSettings): Promise<INodeExecutionData[][] | null> {
	const staticData = ctx.getWorkflowStaticData('node');
	const { changes, state } = await readDeltaChanges(ctx, conn, spec(settings), staticData.events as DeltaState | undefined);
	staticData.events = state;
	return pollOutput(changes);
}
