// @ts-check
'use strict';

/**
 * Seeded drives: for every tenant a SharePoint root site, a "Marketing" site (group-connected, two
 * libraries) and a "Finance" site closed to apps and to the tenant's first user; a OneDrive for Business per
 * user; and one OneDrive personal drive (consumer form) owned by the first user of the first tenant.
 * Items get webUrls in Microsoft's real URL forms so pickers can resolve pasted URLs.
 */

/** Files every user's OneDrive starts with (path → content). */
const USER_FILES = {
	'/hello.txt': 'hello world',
	'/Documents/report.xlsx': 'PK\u0003\u0004 sandbox spreadsheet',
	'/Documents/notes.txt': 'Meeting notes\nItem 1\nItem 2\n',
	'/Reports/2026/q1.csv': 'month,revenue\njan,100\nfeb,120\nmar,90\n',
	"/Shared stuff & more/it's here.txt": 'apostrophes and ampersands',
};
const USER_FOLDERS = ['/Photos'];
const MARKETING_FILES = {
	'/Campaigns/plan.docx': 'PK\u0003\u0004 sandbox document',
	'/brief.txt': 'Marketing brief',
};
const REPORTS_FILES = { '/2026/summary.pdf': '%PDF-1.4 sandbox' };
const FINANCE_FILES = { '/budget.xlsx': 'PK\u0003\u0004 budget' };
const PERSONAL_FILES = { '/Personal/todo.txt': 'buy milk', '/Pictures/holiday.jpg': 'JFIF sandbox' };

/** @param {string} upn */
function personalPathOf(upn) {
	return upn.toLowerCase().replace(/[.@]/g, '_');
}

/** @param {{ domains: string[], displayName: string }} tenant */
function sharePointPrefix(tenant) {
	const initial = tenant.domains.find((d) => d.toLowerCase().endsWith('.onmicrosoft.com'));
	return (initial ? initial.split('.')[0] : tenant.displayName).toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * @param {import('./drives-state').DriveStore} store
 * @param {any} state the sandbox state (tenants, users)
 * @param {(driveId: string, path: string, content: Buffer | string) => void} addFile
 * @param {(driveId: string, path: string) => void} addFolder
 */
function seedDrives(store, state, addFile, addFolder) {
	/** @param {string} driveId @param {Record<string, string>} files */
	const fill = (driveId, files) => {
		for (const [path, text] of Object.entries(files)) addFile(driveId, path, text);
	};
	let firstUserOfFirstTenant = null;
	for (const tenant of state.tenants.values()) {
		const prefix = sharePointPrefix(tenant);
		const spHost = `${prefix}.sharepoint.com`;
		const myHost = `${prefix}-my.sharepoint.com`;
		const users = state.usersOfTenant(tenant.id);

		for (const user of users) {
			const userPath = personalPathOf(user.userPrincipalName);
			const drive = store.createDrive({
				tenantId: tenant.id, driveType: 'business', name: 'OneDrive', ownerKind: 'user', ownerId: user.id,
				ownerName: user.displayName, webUrl: `https://${myHost}/personal/${userPath}/Documents`,
				linkBase: `https://${myHost}/:{t}:/g/personal/${userPath}`,
			});
			store.userDrives.set(user.id, drive.id);
			fill(drive.id, USER_FILES);
			for (const folder of USER_FOLDERS) addFolder(drive.id, folder);
		}

		/** @param {string} path @param {string} name @param {string} displayName @param {boolean} isRoot */
		const newSite = (path, name, displayName, isRoot) => {
			const site = {
				id: `${spHost},${store.newGuid()},${store.newGuid()}`, tenantId: tenant.id, hostname: spHost, path, name, displayName,
				webUrl: `https://${spHost}${path}`, createdDateTime: new Date().toISOString(), driveIds: /** @type {string[]} */ ([]), isRoot,
			};
			store.sites.set(site.id, site);
			return site;
		};
		/**
		 * @param {ReturnType<typeof newSite>} site @param {string} name @param {string} urlName
		 * @param {{ kind: 'site' | 'group', id: string, name: string }} owner
		 */
		const newLibrary = (site, name, urlName, owner) => {
			const drive = store.createDrive({
				tenantId: tenant.id, driveType: 'documentLibrary', name, ownerKind: owner.kind, ownerId: owner.id, ownerName: owner.name,
				siteId: site.id, webUrl: `${site.webUrl}/${encodeURIComponent(urlName)}`,
				linkBase: `https://${spHost}/:{t}:/${site.isRoot ? 'r' : 's'}${site.isRoot ? '' : site.path.replace(/^\/sites/, '')}`,
			});
			site.driveIds.push(drive.id);
			return drive;
		};

		const root = newSite('', '', 'Communication site', true);
		newLibrary(root, 'Documents', 'Shared Documents', { kind: 'site', id: root.id, name: root.displayName });

		const marketing = newSite('/sites/Marketing', 'Marketing', 'Marketing', false);
		const groupId = store.newGuid();
		const marketingDocs = newLibrary(marketing, 'Documents', 'Shared Documents', { kind: 'group', id: groupId, name: 'Marketing' });
		store.groups.set(groupId, {
			id: groupId, tenantId: tenant.id, displayName: 'Marketing', mailNickname: 'marketing', siteId: marketing.id,
			driveId: marketingDocs.id, memberIds: new Set(users.map((/** @type {{ id: string }} */ u) => u.id)),
		});
		fill(marketingDocs.id, MARKETING_FILES);
		const reports = newLibrary(marketing, 'Reports', 'Reports', { kind: 'site', id: marketing.id, name: marketing.displayName });
		fill(reports.id, REPORTS_FILES);

		// A security group: no mailbox, no drive (a group drive picker must not offer it).
		const securityGroupId = store.newGuid();
		store.groups.set(securityGroupId, {
			id: securityGroupId, tenantId: tenant.id, displayName: 'Marketing Approvers', mailNickname: 'marketing-approvers',
			siteId: '', driveId: '', memberIds: new Set(users.slice(0, 1).map((/** @type {{ id: string }} */ u) => u.id)),
		});

		const finance = newSite('/sites/Finance', 'Finance', 'Finance', false);
		const restricted = newLibrary(finance, 'Restricted', 'Restricted', { kind: 'site', id: finance.id, name: finance.displayName });
		fill(restricted.id, FINANCE_FILES);
		restricted.denyAppOnly = true;
		if (users[0]) restricted.deniedPrincipals.add(users[0].id);

		if (!firstUserOfFirstTenant && users[0]) firstUserOfFirstTenant = { tenant, user: users[0] };
	}

	if (firstUserOfFirstTenant) {
		const { tenant, user } = firstUserOfFirstTenant;
		const drive = store.createDrive({
			tenantId: tenant.id, driveType: 'personal', name: 'OneDrive', ownerKind: 'user', ownerId: user.id,
			ownerName: user.displayName, webUrl: 'https://onedrive.live.com/?cid={driveId}', linkBase: 'https://1drv.ms/{t}',
		});
		store.personalDriveId = drive.id;
		fill(drive.id, PERSONAL_FILES);
	}
}

module.exports = { seedDrives, personalPathOf, sharePointPrefix, USER_FILES };
