/**
 * The scopes an API key can be given, with what each allows, in the order the page lists them.
 * The server's list is in CreateApiKeyInput.scopes' description (lib/generated/schema.graphql);
 * scopes.test.ts fails when the server knows a scope this page does not explain.
 */
export const SCOPE_DESCRIPTIONS: ReadonlyArray<{ scope: string; description: string }> = [
  { scope: 'cameras:read', description: 'List cameras, their status, live results and tracks' },
  { scope: 'cameras:write', description: 'Create, change, start and stop cameras' },
  { scope: 'ingest', description: 'Send frames to upload cameras and import batch video jobs' },
  { scope: 'analytics:read', description: 'Read zones, alerts and analytics' },
  { scope: 'identity:read', description: 'List enrolled people and the identity audit log (biometric data)' },
  { scope: 'identity:write', description: 'Enrol and erase people' },
  { scope: 'identity:admin', description: 'Every identity operation (read, enrol, erase)' },
  { scope: 'billing:read', description: 'Read the plan, quotas and usage' },
  { scope: 'webhooks:write', description: 'Manage webhook endpoints and replay deliveries' },
  { scope: 'members:read', description: 'List members and pending invites' },
  { scope: 'members:write', description: 'Invite, change and remove members' },
  { scope: 'admin', description: 'Everything, including API keys and members' },
];

/** What a new key is given unless the user chooses otherwise: read-only access to cameras. */
export const DEFAULT_SCOPES: readonly string[] = ['cameras:read'];
