import type { Finding } from './finding.js';

/** The ECR console page of one image (repository names keep their '/', as the console's own links do). */
const consoleImageUrl = (image: { region: string; account: string; repository: string; digest: string }): string =>
  `https://${image.region}.console.aws.amazon.com/ecr/repositories/private/${image.account}/${image.repository}/_/image/${image.digest}/details?region=${image.region}`;

const CVE_ID = /^CVE-\d{4}-\d{4,}$/i;
const GHSA_ID = /^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/i;

/** Where a person reads about a finding: the scanner's link, else the public advisory for CVE and GHSA ids. */
const findingLink = (finding: Pick<Finding, 'id' | 'uri'>): string | undefined => {
  if (finding.uri) return finding.uri;
  if (CVE_ID.test(finding.id)) return `https://nvd.nist.gov/vuln/detail/${finding.id.toUpperCase()}`;
  if (GHSA_ID.test(finding.id)) return `https://github.com/advisories/${finding.id}`;
  return undefined;
};

export { consoleImageUrl, findingLink };
