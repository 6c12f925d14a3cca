/** The draft, its setter and the placed validation messages, shared by every field of the form. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Draft, Json, Path } from './scenario-model';

export interface FormContextValue {
  readonly draft: Draft;
  readonly set: (path: Path, value: Json | undefined) => void;
  readonly messages: ReadonlyMap<string, readonly string[]>;
}

export const FormContext = createContext<FormContextValue>({
  draft: {},
  set: () => undefined,
  messages: new Map(),
});

export function useForm(): FormContextValue {
  return useContext(FormContext);
}
