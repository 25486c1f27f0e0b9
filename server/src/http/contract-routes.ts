// Routes are registered, parsed and answered by their key in the wire contract's table
// (src/contract/routes.ts): the path is written once, and the compiler holds each answer to the
// schema the OpenAPI document shows for it.
import type { RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import { ROUTES, type AnswerOf, type RouteKey, type SuccessStatus } from '../../../src/contract/routes.js';
import { parseInput } from './validate.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The method and express path of a route key ("POST /meetings/:id/join"). */
export function routeOf(route: RouteKey): { method: Method; path: string } {
  const [method = '', path = ''] = route.split(' ');
  return { method: method.toLowerCase() as Method, path };
}

/** Registers `handlers` for a route of the contract. */
export function on(router: Router, route: RouteKey, ...handlers: RequestHandler[]): void {
  const { method, path } = routeOf(route);
  router[method](path, ...handlers);
}

type Part = 'body' | 'query' | 'params';
type SchemaOf<K extends RouteKey, P extends Part> = (typeof ROUTES)[K] extends { [key in P]: infer S extends z.ZodType } ? S : never;

/** The request's body, query or path parameters as the route's schema parses them (VALIDATION_FAILED otherwise). */
export function input<K extends RouteKey, P extends Part>(route: K, part: P, value: unknown): z.output<SchemaOf<K, P>> {
  const schema = (ROUTES[route] as Partial<Record<Part, z.ZodType>>)[part];
  if (schema === undefined) throw new Error(`route ${route} declares no ${part}`);
  return parseInput(schema, value, part);
}

/** Sends a route's answer with `status`; its type is the contract's for that route and status. */
export function reply<K extends RouteKey, S extends SuccessStatus<K>>(res: Response, _route: K, status: S, body: AnswerOf<K, S>): void {
  if (body === undefined) res.status(status).end();
  else res.status(status).json(body);
}
