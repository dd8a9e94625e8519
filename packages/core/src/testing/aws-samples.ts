import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/*
 * The real AWS sample events of test/fixtures/aws-events, read the one way every package's tests read them
 * (a file name relative to that folder, `.json` included). Test-only: the rest of core does no I/O.
 */

/** test/fixtures/aws-events/ of the repository, for tests that list the samples. */
const AWS_SAMPLES_DIRECTORY = new URL('../../../../test/fixtures/aws-events/', import.meta.url);

/** The file system path of a sample, for tests that hand the file to a command (the CLI). */
const awsSamplePath = (name: string): string => fileURLToPath(new URL(name, AWS_SAMPLES_DIRECTORY));

/** The text of a sample as stored (a few are invalid JSON on purpose). */
const awsSampleText = (name: string): string => readFileSync(awsSamplePath(name), 'utf8');

/** A sample, parsed; a fresh object on every call, so a test may change it. */
const awsSampleEvent = (name: string): unknown => JSON.parse(awsSampleText(name));

export { AWS_SAMPLES_DIRECTORY, awsSampleEvent, awsSamplePath, awsSampleText };
