/** Where the chosen drive lives in Graph. No request is sent; bad values are refused naming the field. */
import { encodePathSegment } from '../../shared/input';
import { locatorValue, readParameter, type NodeContext } from '../../shared/node/parameters';
import { resolveTarget } from '../../shared/node/target';
import { DRIVE_TARGET, LIBRARY_PARAMETER } from '../descriptions/drive';

export interface DriveRef {
	/** Graph path of the drive, without version: `/me/drive`, `/users/{u}/drive`, `/groups/{g}/drive`, `/drives/{id}`. */
	basePath: string;
	/** Known when the drive was picked by ID (site libraries); otherwise learned from the first driveItem. */
	driveId?: string;
}

export function resolveDrive(ctx: NodeContext, itemIndex = 0): DriveRef {
	if (readParameter(ctx, DRIVE_TARGET.name, itemIndex) === 'siteLibrary') {
		const library = locatorValue(ctx, LIBRARY_PARAMETER, itemIndex);
		if (library) return { basePath: `/drives/${encodePathSegment(library, 'Library')}`, driveId: library };
	}
	// No library chosen: the principal's drive (for a site, its default document library).
	return { basePath: `${resolveTarget(ctx, DRIVE_TARGET, itemIndex).path}/drive` };
}
