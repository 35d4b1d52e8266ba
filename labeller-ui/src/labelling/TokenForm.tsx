import { useState, type SyntheticEvent } from 'react';

/** Shown when the server requires a labeller token (LABELLER_TOKEN) and refused ours. */
export function TokenForm({ onToken }: { onToken: (token: string) => void }) {
  const [value, setValue] = useState('');
  const submit = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (value.trim() !== '') onToken(value.trim());
  };
  return (
    <form className="card narrow" onSubmit={submit}>
      <label htmlFor="labeller-token">Labeller token (ask your admin)</label>
      <input
        id="labeller-token"
        type="password"
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
  );
}
