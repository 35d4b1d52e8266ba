import { useState, type SyntheticEvent } from 'react';

export function TokenPrompt(props: {
  error: string | undefined;
  onSubmit: (token: string) => void;
}) {
  const [value, setValue] = useState('');
  const submit = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (value.trim() !== '') props.onSubmit(value.trim());
  };
  return (
    <main className="card narrow">
      <h1>Admin</h1>
      <form onSubmit={submit}>
        <label htmlFor="admin-token">Admin token</label>
        <input
          id="admin-token"
          type="password"
          autoFocus
          autoComplete="off"
          value={value}
          aria-invalid={props.error !== undefined}
          aria-describedby={props.error ? 'admin-token-error' : undefined}
          onChange={(e) => {
            setValue(e.target.value);
          }}
        />
        <p className="muted">The server prints it at start (or set ADMIN_TOKEN).</p>
        {props.error && (
          <p id="admin-token-error" className="error" role="alert">
            {props.error}
          </p>
        )}
        <button type="submit" className="primary">
          Open the admin page
        </button>
      </form>
    </main>
  );
}
