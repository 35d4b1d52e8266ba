import { useState, type SyntheticEvent } from 'react';

/** Shown when the server requires a labeller token (LABELLER_TOKEN) and refused ours. */
export function TokenForm(props: { refusal: string; onToken: (token: string) => void }) {
  const [value, setValue] = useState('');
  const submit = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (value.trim() !== '') props.onToken(value.trim());
  };
  return (
    <main className="card narrow">
      <h1>Labeller token needed</h1>
      <p className="error" role="alert">
        The server said: {props.refusal}
      </p>
      <form onSubmit={submit}>
        <label htmlFor="labeller-token">Labeller token (ask your admin)</label>
        <input
          id="labeller-token"
          type="password"
          autoFocus
          autoComplete="off"
          value={value}
          onChange={(e) => {
            setValue(e.target.value);
          }}
        />
        <button type="submit" className="primary">
          Connect
        </button>
      </form>
    </main>
  );
}
