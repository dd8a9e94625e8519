import { ssmParameterArn } from '@dockmaster/core/topology';
import * as z from 'zod';
import { AwsServiceError } from '../aws-endpoint/aws-service-error.js';
import { systemClock } from '../aws-endpoint/clock.js';
import type { Clock } from '../aws-endpoint/clock.js';
import { operation } from '../aws-endpoint/service.js';
import type { AwsJsonService } from '../aws-endpoint/service.js';

type ParameterType = 'String' | 'StringList' | 'SecureString';

interface StoredParameter {
  name: string;
  type: ParameterType;
  value: string;
  version: number;
  lastModifiedDate: Date;
  description: string | undefined;
  dataType: string;
}

/** What the stack turns into a `Parameter Store Change` event (detail: operation, name, type, description). */
interface ParameterChange {
  operation: 'Create' | 'Update' | 'Delete';
  name: string;
  type: ParameterType;
  description: string | undefined;
  version: number;
}

interface InitialParameter {
  name: string;
  value: string;
  type?: ParameterType;
  description?: string;
}

interface LocalSsmOptions {
  accountId?: string;
  region?: string;
  clock?: Clock;
  parameters?: readonly InitialParameter[];
}

// Standard tier limit; the local stack has no advanced tier.
const MAX_VALUE_CHARS = 4096;
const NAME_PATTERN = /^[a-zA-Z0-9_.\-/]+$/;

const validationError = (message: string): AwsServiceError => new AwsServiceError('ValidationException', message);
const parameterType = z.enum(['String', 'StringList', 'SecureString']);

const schemas = {
  GetParameter: z.object({ Name: z.string().min(1), WithDecryption: z.boolean().optional() }),
  GetParameters: z.object({ Names: z.array(z.string().min(1)).min(1).max(10), WithDecryption: z.boolean().optional() }),
  PutParameter: z.object({
    Name: z.string().min(1).max(2048),
    Value: z.string(),
    Type: parameterType.optional(),
    Overwrite: z.boolean().optional(),
    Description: z.string().max(1024).optional(),
    DataType: z.string().optional(),
    Tier: z.string().optional(),
    KeyId: z.string().optional(),
  }),
  DeleteParameter: z.object({ Name: z.string().min(1) }),
};

/** SSM Parameter Store (GetParameter, GetParameters, PutParameter, DeleteParameter) with a change hook. */
class LocalSsm implements AwsJsonService {
  private readonly accountId: string;
  private readonly region: string;
  private readonly clock: Clock;
  private readonly parameters = new Map<string, StoredParameter>();
  private readonly changeListeners = new Set<(change: ParameterChange) => void | Promise<void>>();
  public readonly operations: AwsJsonService['operations'];

  public constructor(options: LocalSsmOptions = {}) {
    this.accountId = options.accountId ?? '000000000000';
    this.region = options.region ?? 'eu-central-1';
    this.clock = options.clock ?? systemClock;
    for (const parameter of options.parameters ?? []) {
      this.parameters.set(parameter.name, {
        name: parameter.name,
        type: parameter.type ?? 'String',
        value: parameter.value,
        version: 1,
        lastModifiedDate: new Date(this.clock.now()),
        description: parameter.description,
        dataType: 'text',
      });
    }
    this.operations = {
      GetParameter: operation(schemas.GetParameter, validationError, (input) => ({ Parameter: this.parameterOutput(this.existing(input.Name)) })),
      GetParameters: operation(schemas.GetParameters, validationError, (input) => ({
        Parameters: input.Names.flatMap((name) => {
          const parameter = this.parameters.get(name);
          return parameter === undefined ? [] : [this.parameterOutput(parameter)];
        }),
        InvalidParameters: input.Names.filter((name) => !this.parameters.has(name)),
      })),
      PutParameter: operation(schemas.PutParameter, validationError, (input) => this.put(input)),
      DeleteParameter: operation(schemas.DeleteParameter, validationError, async (input) => {
        const parameter = this.existing(input.Name);
        this.parameters.delete(input.Name);
        await this.notify({ operation: 'Delete', name: parameter.name, type: parameter.type, description: parameter.description, version: parameter.version });
        return {};
      }),
    };
  }

  /** Subscribes to parameter changes made through the API; returns an unsubscribe function. */
  public onChange(listener: (change: ParameterChange) => void | Promise<void>): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Current value of a parameter, for the stack and tests. */
  public value(name: string): string | undefined {
    return this.parameters.get(name)?.value;
  }

  private existing(name: string): StoredParameter {
    const parameter = this.parameters.get(name);
    if (parameter === undefined) throw new AwsServiceError('ParameterNotFound', `Parameter ${name} not found.`);
    return parameter;
  }

  private parameterOutput(parameter: StoredParameter): object {
    // Names with slashes form the ARN path directly; others get one inserted.
    const arnPath = parameter.name.startsWith('/') ? parameter.name : `/${parameter.name}`;
    return {
      Name: parameter.name,
      Type: parameter.type,
      // SSM-GUESS: SecureString values are returned as stored whatever WithDecryption says; there is no KMS locally.
      Value: parameter.value,
      Version: parameter.version,
      LastModifiedDate: parameter.lastModifiedDate,
      ARN: ssmParameterArn({ accountId: this.accountId, region: this.region }, arnPath),
      DataType: parameter.dataType,
    };
  }

  private async put(input: z.output<typeof schemas.PutParameter>): Promise<object> {
    if (!NAME_PATTERN.test(input.Name) || /^\/?(aws|ssm)/i.test(input.Name)) {
      throw validationError(`Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive) and must only contain a-zA-Z0-9_.-/ characters.`);
    }
    if (input.Value.length === 0 || input.Value.length > MAX_VALUE_CHARS) {
      throw validationError(`1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length between 1 and ${MAX_VALUE_CHARS}`);
    }
    const existing = this.parameters.get(input.Name);
    if (existing !== undefined && input.Overwrite !== true) {
      throw new AwsServiceError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
    }
    const type = input.Type ?? existing?.type;
    if (type === undefined) throw validationError('A parameter type is required when you create a parameter.');
    const parameter: StoredParameter = {
      name: input.Name,
      type,
      value: input.Value,
      version: (existing?.version ?? 0) + 1,
      lastModifiedDate: new Date(this.clock.now()),
      description: input.Description ?? existing?.description,
      dataType: input.DataType ?? existing?.dataType ?? 'text',
    };
    this.parameters.set(input.Name, parameter);
    await this.notify({ operation: existing === undefined ? 'Create' : 'Update', name: parameter.name, type, description: parameter.description, version: parameter.version });
    return { Version: parameter.version, Tier: 'Standard' };
  }

  private async notify(change: ParameterChange): Promise<void> {
    for (const listener of this.changeListeners) {
      try {
        await listener(change);
      } catch (error) {
        // A failing subscriber must not fail the PutParameter that already happened.
        console.error('[local ssm] change listener failed:', error);
      }
    }
  }
}

export { LocalSsm };
export type { InitialParameter, LocalSsmOptions, ParameterChange, ParameterType };
