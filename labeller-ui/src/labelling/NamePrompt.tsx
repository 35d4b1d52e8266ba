import { useState, type SyntheticEvent } from 'react';
import { NameSchema } from './storedName';

export function NamePrompt({ onSubmit }: { onSubmit: (name: string) => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | undefined>();
  const submit = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = NameSchema.safeParse(value);
    if (!parsed.success) {
      setError('Enter a name of 1 to 64 characters.');
      return;
    }
    onSubmit(parsed.data);
  };
  return (
    <main className="card narrow">
      <h1>Welcome</h1>
      <form onSubmit={submit}>
        <label htmlFor="labeller-name">Your name (stored with every label you give)</label>
        <input
          id="labeller-name"
          autoFocus
          autoComplete="nickname"
          maxLength={64}
          value={value}
          aria-invalid={error !== undefined}
          aria-describedby={error ? 'labeller-name-error' : undefined}
          onChange={(e) => {
            setValue(e.target.value);
          }}
        />
        {error && (
          <p id="labeller-name-error" className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary">
          Start labelling
        </button>
      </form>
    </main>
  );
}
