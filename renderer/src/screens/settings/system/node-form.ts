/** "Register a node": a name and a UUID, checked with the contract's rules and against the nodes already known. */
import { nodeNameSchema, nodeUuidSchema, type NodeInfo } from '../../../../../shared/domain';
import type { FieldErrors } from '../../../forms/field-errors';

export const OWN_UUID = 'This is the UUID of this node.';
export const UUID_TAKEN = 'A node with this UUID is registered already.';

/** A UUID that passes the contract's check (RFC 9562: version and variant digits), for the placeholder. */
export const UUID_EXAMPLE = '123e4567-e89b-42d3-a456-426614174000';

export type NodeFormCheck = { ok: true; node: NodeInfo } | { ok: false; fields: FieldErrors };

export function checkNodeForm(name: string, uuid: string, known: { node: NodeInfo; registered: readonly NodeInfo[] }): NodeFormCheck {
  const fields: FieldErrors = {};
  const parsedName = nodeNameSchema.safeParse(name);
  if (!parsedName.success) fields.name = parsedName.error.issues[0]?.message ?? 'Enter a name';
  const typed = uuid.trim().toLowerCase();
  const parsedUuid = nodeUuidSchema.safeParse(typed);
  if (!parsedUuid.success) fields.uuid = parsedUuid.error.issues[0]?.message ?? 'Enter a UUID';
  else if (typed === known.node.uuid.toLowerCase()) fields.uuid = OWN_UUID;
  else if (known.registered.some((n) => n.uuid.toLowerCase() === typed)) fields.uuid = UUID_TAKEN;
  if (!parsedName.success || !parsedUuid.success || Object.keys(fields).length > 0) return { ok: false, fields };
  return { ok: true, node: { name: parsedName.data, uuid: parsedUuid.data } };
}
