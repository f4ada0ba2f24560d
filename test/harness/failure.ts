/** A node run that must fail: its error (message, description, httpCode), or a test failure naming what it put out instead. */
export type NodeFailure = Error & { description?: string; httpCode?: string };

export async function failureOf(run: Promise<unknown>): Promise<NodeFailure> {
	const error = await run.then(
		(items) => new Error(`expected a failure, got ${JSON.stringify(items).slice(0, 500)}`),
		(caught: unknown) => caught as Error,
	);
	if (/^expected a failure/.test(error.message)) throw error;
	return error as NodeFailure;
}
