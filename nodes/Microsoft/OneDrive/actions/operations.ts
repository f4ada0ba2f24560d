import type { OneDriveResource, OperationModule } from './common';
import * as fileCopy from './file/copy.operation';
import * as fileDelete from './file/delete.operation';
import * as fileDownload from './file/download.operation';
import * as fileGet from './file/get.operation';
import * as fileListVersions from './file/listVersions.operation';
import * as fileMove from './file/move.operation';
import * as fileRename from './file/rename.operation';
import * as fileSearch from './file/search.operation';
import * as fileShare from './file/share.operation';
import * as fileUpload from './file/upload.operation';
import * as folderCreate from './folder/create.operation';
import * as folderDelete from './folder/delete.operation';
import * as folderListChildren from './folder/listChildren.operation';
import * as folderMove from './folder/move.operation';
import * as folderRename from './folder/rename.operation';
import * as folderSearch from './folder/search.operation';
import * as folderShare from './folder/share.operation';

/** resource → operation value → module. The order here is the order of the Operation dropdown. */
export const OPERATIONS: Record<OneDriveResource, Record<string, OperationModule>> = {
	file: {
		copy: fileCopy,
		delete: fileDelete,
		download: fileDownload,
		get: fileGet,
		listVersions: fileListVersions,
		move: fileMove,
		rename: fileRename,
		search: fileSearch,
		share: fileShare,
		upload: fileUpload,
	},
	folder: {
		create: folderCreate,
		delete: folderDelete,
		listChildren: folderListChildren,
		move: folderMove,
		rename: folderRename,
		search: folderSearch,
		share: folderShare,
	},
};
