/** The lease key of one repository: the same name in two Regions is two repositories. */
const repositoryLeaseKey = (region: string, repository: string): string => `cache-repository#${region}#${repository}`;

export { repositoryLeaseKey };
