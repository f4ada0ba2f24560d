/** Reading node parameters the same way in every context a Microsoft node runs in. */
import type { IExecuteFunctions, IHookFunctions, ILoadOptionsFunctions, IPollFunctions, IWebhookFunctions } from 'n8n-workflow';

import { assertWellFormedText } from '../input';

/** The contexts whose parameters our nodes read: execute (per item), poll, list search, webhook set-up and calls. */
export type NodeContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions | IHookFunctions | IWebhookFunctions;

function isLoadOptions(ctx: NodeContext): ctx is ILoadOptionsFunctions {
	return typeof (ctx as ILoadOptionsFunctions).getCurrentNodeParameter === 'function';
}

/**
 * A top-level node parameter from any context: execute (per item), poll, or list search (where the
 * editor's current, unsaved values are what matter).
 */
export function readParameter(ctx: NodeContext, name: string, itemIndex = 0, fallback?: unknown): unknown {
	if (isLoadOptions(ctx)) {
		const current = ctx.getCurrentNodeParameter(name);
		return current === undefined ? fallback : current;
	}
	if ('getInputData' in ctx && typeof (ctx as IExecuteFunctions).getInputData === 'function') {
		return (ctx as IExecuteFunctions).getNodeParameter(name, itemIndex, fallback);
	}
	return (ctx as IPollFunctions).getNodeParameter(name, fallback);
}

/** A resource locator's value (trimmed string) from any context; '' when unset. A plain string counts as an ID. */
export function locatorValue(ctx: NodeContext, name: string, itemIndex = 0): string {
	const raw = readParameter(ctx, name, itemIndex, undefined);
	const value = raw && typeof raw === 'object' && 'value' in raw ? (raw as { value: unknown }).value : raw;
	return typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value).trim();
}

/** A resource locator's mode ('list', 'url', 'path', 'id'); a plain string value is an ID. */
export function locatorMode(ctx: NodeContext, name: string, itemIndex = 0): string {
	const raw = readParameter(ctx, name, itemIndex, undefined);
	return raw && typeof raw === 'object' && 'mode' in raw ? String((raw as { mode: unknown }).mode) : 'id';
}

/** A text parameter, checked as well-formed Unicode (refused naming `field` before anything is sent). */
export function readText(ctx: NodeContext, name: string, field: string, itemIndex = 0, fallback = ''): string {
	const value = readParameter(ctx, name, itemIndex, fallback);
	return assertWellFormedText(typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value), field);
}
