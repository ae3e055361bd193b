import { useState, type FormEvent } from 'react';
import { LIMITS } from '../../../../../shared/domain';
import { useConfirm } from '../../../components/confirm-dialog';
import { Field } from '../../../components/field';
import { MessageLine, type FormMessage } from '../../../components/notice';
import { CORRECT_MARKED_FIELDS, formErrorText, type FieldErrors } from '../../../forms/field-errors';
import { focusField } from '../../../forms/refusal';
import { useStores, useSystem } from '../../../store/context';
import { sortedNodes } from '../../../store/system/selectors';
import { CopyButton } from './copy-button';
import { UUID_EXAMPLE, checkNodeForm } from './node-form';

/** /system/nodes: this installation (name and UUID, created once and kept) and the nodes an admin registered. */
export function NodesSection() {
  const { system } = useStores();
  const node = useSystem((s) => s.overview?.node ?? null);
  const registered = useSystem((s) => s.overview?.registeredNodes ?? null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<FormMessage | null>(null);
  const confirm = useConfirm();
  if (!node || !registered) return null;

  async function remove(name: string, uuid: string) {
    setMessage(null);
    const confirmed = await confirm.ask({
      title: `Remove the node ${name}?`,
      message: 'It leaves the list of nodes /system/nodes reports. Register it again to bring it back.',
      confirmLabel: 'Remove',
    });
    if (!confirmed) return;
    setBusy(true);
    const result = await system.getState().removeNode(uuid);
    setBusy(false);
    setMessage(result.ok ? { tone: 'success', text: `Node ${name} removed.` } : { tone: 'error', text: result.error.message });
  }

  const rows = sortedNodes(registered);
  return (
    <section className="section" aria-labelledby="nodes-heading">
      <h2 id="nodes-heading" className="section__title">
        Nodes
      </h2>
      <dl className="node-facts">
        <div className="node-facts__row">
          <dt>This node</dt>
          <dd>{node.name}</dd>
        </div>
        <div className="node-facts__row">
          <dt>UUID</dt>
          <dd className="node-facts__uuid">
            <code id="this-node-uuid">{node.uuid}</code>
            <CopyButton text={node.uuid} label="Copy UUID" describedBy="this-node-uuid" />
          </dd>
        </div>
      </dl>
      <h3 className="subsection__title">Registered nodes</h3>
      {rows.length === 0 ? (
        <p className="empty">No other node is registered.</p>
      ) : (
        <div className="table-wrap">
          <table className="table table--cards">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">UUID</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((n) => (
                <tr key={n.uuid}>
                  <td className="table__name" data-label="Name">
                    {n.name}
                  </td>
                  <td data-label="UUID">
                    <code>{n.uuid}</code>
                  </td>
                  <td className="table__actions">
                    <button type="button" className="button button--small" onClick={() => void remove(n.name, n.uuid)} disabled={busy}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <MessageLine message={message} />
      <RegisterNodeForm onRegistered={(name) => setMessage({ tone: 'success', text: `Node ${name} registered.` })} />
      {confirm.dialog}
    </section>
  );
}

const FIELD_IDS = { name: 'node-name', uuid: 'node-uuid' } as const;

function RegisterNodeForm({ onRegistered }: { onRegistered(name: string): void }) {
  const { system } = useStores();
  const node = useSystem((s) => s.overview?.node ?? null);
  const registered = useSystem((s) => s.overview?.registeredNodes ?? []);
  const [name, setName] = useState('');
  const [uuid, setUuid] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<FormMessage | null>(null);
  const [busy, setBusy] = useState(false);

  function refuse(fields: FieldErrors, text: string) {
    setErrors(fields);
    setMessage({ tone: 'error', text });
    if (fields.name) focusField(FIELD_IDS.name);
    else if (fields.uuid) focusField(FIELD_IDS.uuid);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!node) return;
    setMessage(null);
    const checked = checkNodeForm(name, uuid, { node, registered });
    if (!checked.ok) return refuse(checked.fields, CORRECT_MARKED_FIELDS);
    setErrors({});
    setBusy(true);
    const result = await system.getState().registerNode(checked.node.name, checked.node.uuid);
    setBusy(false);
    if (!result.ok) return refuse(result.error.fields ?? {}, formErrorText(result.error));
    setName('');
    setUuid('');
    onRegistered(checked.node.name);
  }

  return (
    <form className="form form--wide" onSubmit={submit} noValidate aria-label="Register a node">
      <h3 className="subsection__title">Register a node</h3>
      <div className="form__grid">
        <Field id={FIELD_IDS.name} label="Node name" value={name} onValueChange={setName} maxLength={LIMITS.label} autoComplete="off" error={errors.name} />
        <Field
          id={FIELD_IDS.uuid}
          label="Node UUID"
          value={uuid}
          onValueChange={setUuid}
          autoComplete="off"
          spellCheck={false}
          placeholder={UUID_EXAMPLE}
          hint="As the other node shows it under Nodes."
          error={errors.uuid}
        />
      </div>
      <MessageLine message={message} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          Register node
        </button>
      </div>
    </form>
  );
}
