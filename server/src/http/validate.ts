import type { z } from 'zod';
import { ApiError } from '../errors.js';

export interface FieldIssue {
  field: string;
  message: string;
}

/** Parses `input` with `schema`, or throws VALIDATION_FAILED naming each offending field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where: 'body' | 'query' | 'params'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details: FieldIssue[] = result.error.issues.map((issue) => ({
    field: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new ApiError('VALIDATION_FAILED', `The request ${where} is not valid.`, details);
}
