/**
 * "File Name" of File → Upload: required for Upload From = Text (the operation refuses an empty one: there is
 * no binary file name to fall back on), optional for binary input. n8n's own parameter check (the editor's
 * red marker, and the check before a run) must say so.
 */
import { NodeHelpers, type INode } from 'n8n-workflow';
import { Microsoft365OneDrive } from '../../nodes/Microsoft/OneDrive/Microsoft365OneDrive.node';

const description = new Microsoft365OneDrive().description;

function issuesFor(parameters: Record<string, unknown>) {
	const node = {
		id: '1',
		name: 'Upload',
		type: 'n8n-nodes-microsoft-365.microsoft365OneDrive',
		typeVersion: 1,
		position: [0, 0],
		parameters: { authentication: 'oAuth2', resource: 'file', operation: 'upload', ...parameters },
	} as unknown as INode;
	const withDefaults = NodeHelpers.getNodeParameters(description.properties, node.parameters, true, false, node, description);
	return NodeHelpers.getNodeParametersIssues(description.properties, { ...node, parameters: withDefaults ?? {} }, description)?.parameters ?? {};
}

describe('File → Upload: File Name', () => {
	it('is required when uploading text', () => {
		expect(Object.keys(issuesFor({ uploadFrom: 'text', textContent: 'hello', fileName: '' }))).toContain('fileName');
		expect(Object.keys(issuesFor({ uploadFrom: 'text', textContent: 'hello', fileName: 'notes.txt' }))).not.toContain('fileName');
	});

	it('may stay empty for binary input (the binary file name is used)', () => {
		expect(Object.keys(issuesFor({ uploadFrom: 'binary', binaryPropertyName: 'data', fileName: '' }))).not.toContain('fileName');
		expect(Object.keys(issuesFor({ binaryPropertyName: 'data' }))).not.toContain('fileName');
	});

	it('keeps one parameter name for both, so saved workflows keep their value', () => {
		const fields = description.properties.filter((property) => property.name === 'fileName' && property.displayOptions?.show?.operation?.includes('upload'));
		expect(fields.map((field) => [field.displayOptions?.show?.uploadFrom, field.required ?? false])).toEqual([
			[['binary'], false],
			[['text'], true],
		]);
	});
});
