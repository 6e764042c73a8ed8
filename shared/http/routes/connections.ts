import * as z from 'zod';
import {
  connectionCallbackQuerySchema,
  connectionPathSchema,
  connectionSchema,
  startConnectionSchema,
  startedConnectionSchema,
} from '../../schemas/connections';
import type { RouteDef } from './route';

/** The creator's connections to their platform accounts: start, the OAuth callback, list, disconnect. */
export const connectionRoutes = [
  {
    id: 'StartConnection',
    method: 'POST',
    path: '/connections/{platform}',
    entry: 'functions/api/connection-start.ts',
    auth: 'jwt',
    summary: 'Connects a platform account: X answers with its authorization URL (OAuth 2.0 + PKCE, state valid 10 minutes, single-use)',
    tag: 'connections',
    request: { params: connectionPathSchema, body: startConnectionSchema },
    response: { status: 200, data: startedConnectionSchema },
    errors: ['REDIRECT_URI_NOT_ALLOWED', 'CONNECTION_METHOD_MISMATCH', 'CONNECTION_REFUSED', 'PLATFORM_UNAVAILABLE'],
    access: { table: 'readwrite', bucket: 'none', creatorAiKeys: 'seal', platformConnections: true },
  },
  {
    id: 'CompleteConnection',
    method: 'GET',
    path: '/connections/{platform}/callback',
    entry: 'functions/api/connection-callback.ts',
    auth: 'public',
    summary: "Where the platform sends the creator back: checks the state (the creator's, unused, under 10 minutes) and exchanges the code",
    tag: 'connections',
    request: { params: connectionPathSchema, query: connectionCallbackQuerySchema },
    response: { status: 200, data: connectionSchema },
    errors: ['CONNECTION_STATE_INVALID', 'CONNECTION_REFUSED', 'PLATFORM_UNAVAILABLE'],
    access: { table: 'readwrite', bucket: 'none', creatorAiKeys: 'seal', platformConnections: true },
  },
  {
    id: 'ListConnections',
    method: 'GET',
    path: '/connections',
    entry: 'functions/api/connection-list.ts',
    auth: 'jwt',
    summary: "The caller's connections: platform, handle, scopes, status, token expiry, last error (never a token)",
    tag: 'connections',
    response: { status: 200, data: z.array(connectionSchema) },
    access: { table: 'read', bucket: 'none' },
  },
  {
    id: 'DeleteConnection',
    method: 'DELETE',
    path: '/connections/{platform}',
    entry: 'functions/api/connection-delete.ts',
    auth: 'jwt',
    summary: 'Disconnects: revokes the tokens at the platform, then removes them',
    tag: 'connections',
    request: { params: connectionPathSchema },
    response: { status: 204 },
    errors: ['CONNECTION_NOT_FOUND', 'PLATFORM_UNAVAILABLE'],
    access: { table: 'readwrite', bucket: 'none', creatorAiKeys: 'open', platformConnections: true },
  },
] as const satisfies readonly RouteDef[];
