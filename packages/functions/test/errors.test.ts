import { ParsingError } from '@aws-lambda-powertools/batch';
import { ECRServiceException, InvalidParameterException } from '@aws-sdk/client-ecr';
import { UserFacingError } from '@dockmaster/core/errors';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { classifyFailure, FailureKind, INVALID_DATA_CODE, INVALID_EVENT_CODE, PermanentError } from '../src/runtime/errors.js';

/** An unmodeled ECR error as the SDK throws it (ECR models neither throttling nor access denied). */
const ecrError = (name: string, httpStatusCode: number, message = `${name} from ECR`) =>
  new ECRServiceException({ name, $fault: httpStatusCode >= 500 ? 'server' : 'client', $metadata: { httpStatusCode }, message });

describe('classifyFailure', () => {
  it.each([
    ['ThrottlingException (HTTP 400, as ECR returns it)', ecrError('ThrottlingException', 400)],
    ['ServerException (HTTP 500)', ecrError('ServerException', 500)],
    ['InternalFailure (HTTP 503)', ecrError('InternalFailure', 503)],
    ['an unknown client error (RepositoryNotFoundException may be eventual consistency)', ecrError('RepositoryNotFoundException', 400)],
    ['a socket hang-up', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a thrown string', 'something odd'],
  ])('retries %s', (_, thrown) => {
    // Act
    const failure = classifyFailure(thrown);

    // Assess
    expect(failure.kind).toBe(FailureKind.Transient);
  });

  it.each([
    ['AccessDeniedException', ecrError('AccessDeniedException', 400, 'User: arn:aws:sts::1:assumed-role/w is not authorized to perform: ecr:SetRepositoryPolicy'), 'AccessDeniedException'],
    [
      'a modeled InvalidParameterException',
      new InvalidParameterException({ $metadata: { httpStatusCode: 400 }, message: 'Invalid repository policy provided' }),
      'InvalidParameterException',
    ],
    ['a UserFacingError', new UserFacingError('REPOSITORY_POLICY_REJECTED', 'ECR rejected the repository policy'), 'REPOSITORY_POLICY_REJECTED'],
    ['a PermanentError', new PermanentError('UPSTREAM_GONE', 'the upstream registry no longer exists'), 'UPSTREAM_GONE'],
    ['a Powertools parse failure', new ParsingError('body.detail: Required'), INVALID_EVENT_CODE],
    ['a zod error thrown while processing', z.object({ id: z.string() }).safeParse({}).error, INVALID_DATA_CODE],
  ])('gives up at once on %s', (_, thrown, code) => {
    // Act
    const failure = classifyFailure(thrown);

    // Assess
    expect(failure).toMatchObject({ kind: FailureKind.Permanent, code });
  });

  it('follows the cause of a wrapper error and keeps both messages on one line', () => {
    // Prepare
    const denied = ecrError('AccessDeniedException', 400, 'not authorized\nto perform ecr:BatchDeleteImage');
    const wrapper = new Error('removing tag latest failed', { cause: denied });

    // Act
    const failure = classifyFailure(wrapper);

    // Assess
    expect(failure.kind).toBe(FailureKind.Permanent);
    expect(failure.code).toBe('AccessDeniedException');
    expect(failure.reason).toBe('removing tag latest failed (caused by AccessDeniedException: not authorized to perform ecr:BatchDeleteImage)');
  });

  it('keeps control characters from an upstream message out of the reason (a log field, an SQS attribute)', () => {
    // Act
    const failure = classifyFailure(new PermanentError('UPSTREAM', 'registry said \u001b[2Jno\u0000 such tag'));

    // Assess
    expect(failure.reason).toBe('registry said [2Jno such tag');
  });

  it('bounds the reason to 1,000 characters', () => {
    // Act
    const failure = classifyFailure(new UserFacingError('LONG', 'x'.repeat(5_000)));

    // Assess
    expect(failure.reason).toHaveLength(1_000);
  });
});
