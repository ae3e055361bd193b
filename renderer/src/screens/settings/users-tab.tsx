import { useEffect, useState } from 'react';
import { useConfirm } from '../../components/confirm-dialog';
import { MessageLine, type FormMessage } from '../../components/notice';
import { useSession, useStores, useUsers } from '../../store/context';
import { lockLines, removeBlockedReason, removedMessage, sortedUsers, unlockedMessage, yesNo } from '../../store/users/selectors';
import { AddUserForm } from './users/add-user-form';
import { ResetPasswordForm } from './users/reset-password-form';


export function UsersTab() {
  const { users: store } = useStores();
  const users = useUsers((s) => s.users);
  const loadError = useUsers((s) => s.loadError);
  const me = useSession((s) => s.session?.user?.name ?? null);
  const [resetting, setResetting] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<FormMessage | null>(null);
  const confirm = useConfirm();

  useEffect(() => {
    void store.getState().refresh();
  }, [store]);

  async function remove(name: string) {
    setMessage(null);
    const confirmed = await confirm.ask({
      title: `Remove ${name}?`,
      message: 'Their API tokens stop working.',
      confirmLabel: 'Remove',
    });
    if (!confirmed) return;
    setBusy(true);
    setMessage(null);
    const result = await store.getState().removeUser(name);
    setBusy(false);
    setMessage(result.ok ? { tone: 'success', text: removedMessage(name) } : { tone: 'error', text: result.error.message });
  }

  async function unlock(name: string) {
    setBusy(true);
    setMessage(null);
    const result = await store.getState().unlockUser(name);
    setBusy(false);
    setMessage(result.ok ? { tone: 'success', text: unlockedMessage(name) } : { tone: 'error', text: result.error.message });
  }

  return (
    <div className="stack">
      <section className="section" aria-labelledby="users-heading">
        <h2 id="users-heading" className="section__title">
          Users
        </h2>
        {loadError && <MessageLine message={{ tone: 'error', text: loadError.message }} />}
        <div className="table-wrap">
          <table className="table table--cards">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Initial</th>
                <th scope="col">Locked</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sortedUsers(users).map((user) => {
                const blocked = removeBlockedReason(user, me, users);
                return (
                  <tr key={user.name}>
                    <td className="table__name" data-label="Name">{user.name}</td>
                    <td data-label="Role">{user.role}</td>
                    <td data-label="Initial">{yesNo(user.initial)}</td>
                    <td data-label="Locked">
                      {lockLines(user).map((line) => (
                        <div key={line}>{line}</div>
                      ))}
                    </td>
                    <td className="table__actions">
                      {resetting === user.name ? (
                        <ResetPasswordForm
                          name={user.name}
                          onDone={(m) => {
                            setResetting(null);
                            if (m) setMessage(m);
                          }}
                        />
                      ) : (
                        <div className="button-row">
                          <button
                            type="button"
                            className="button button--small"
                            onClick={() => {
                              setMessage(null);
                              setResetting(user.name);
                            }}
                          >
                            Reset password
                          </button>
                          {user.locked && (
                            <button
                              type="button"
                              className="button button--small"
                              disabled={busy}
                              title="Clear the login locks after too many failed attempts"
                              onClick={() => void unlock(user.name)}
                            >
                              Unlock
                            </button>
                          )}
                          <button
                            type="button"
                            className="button button--small"
                            disabled={blocked !== null || busy}
                            title={blocked ?? undefined}
                            onClick={() => void remove(user.name)}
                          >
                            Remove
                          </button>
                        </div>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <MessageLine message={message} />
      </section>
      <AddUserForm />
      {confirm.dialog}
    </div>
  );
}
