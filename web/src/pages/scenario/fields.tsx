/**
 * Inputs bound to a path of the draft. Each input's id comes from its path (fieldId), so a
 * validation message for that path is shown under it, named by aria-describedby, with aria-invalid.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { FieldError } from '../../components';
import { useForm } from './form-context';
import { fieldId, getIn, issueKey, type Json, numberFromInput, type Path } from './scenario-model';

function useFieldMeta(path: Path, hint?: string) {
  const { messages } = useForm();
  const key = issueKey(path);
  const id = fieldId(key);
  const errors = messages.get(key);
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : undefined;
  const describedBy = [errors?.length ? errorId : undefined, hintId].filter(Boolean).join(' ') || undefined;
  return {
    id,
    errors,
    errorId,
    hintId,
    describedBy,
    invalid: errors?.length ? ('true' as const) : undefined,
  };
}

interface BaseProps {
  readonly path: Path;
  readonly label: string;
  readonly hint?: string;
  readonly class?: string;
  /** Label shown only to assistive technology (dense table rows). */
  readonly hideLabel?: boolean;
}

function Wrap(props: {
  id: string;
  label: string;
  hideLabel?: boolean;
  hint?: string;
  hintId?: string;
  errorId: string;
  errors?: readonly string[];
  class?: string;
  children: ComponentChildren;
}) {
  return (
    <div class={`field ${props.class ?? ''}`}>
      <label for={props.id} class={props.hideLabel ? 'visually-hidden' : undefined}>
        {props.label}
      </label>
      {props.children}
      {props.hint && (
        <p id={props.hintId} class="hint">
          {props.hint}
        </p>
      )}
      <FieldError id={props.errorId} messages={props.errors} />
    </div>
  );
}

export function TextField(
  props: BaseProps & { readonly multiline?: boolean; readonly type?: 'text' | 'date' },
) {
  const { draft, set } = useForm();
  const m = useFieldMeta(props.path, props.hint);
  const value = getIn(draft, props.path);
  const text = value === undefined || value === null ? '' : String(value);
  const onInput = (e: Event) => {
    const v = (e.currentTarget as HTMLInputElement | HTMLTextAreaElement).value;
    set(props.path, v === '' && props.type === 'date' ? undefined : v);
  };
  return (
    <Wrap {...m} label={props.label} hideLabel={props.hideLabel} hint={props.hint} class={props.class}>
      {props.multiline ? (
        <textarea
          id={m.id}
          rows={2}
          value={text}
          onInput={onInput}
          aria-invalid={m.invalid}
          aria-describedby={m.describedBy}
        />
      ) : props.type === 'date' ? (
        <input
          id={m.id}
          type="date"
          value={text}
          onInput={onInput}
          aria-invalid={m.invalid}
          aria-describedby={m.describedBy}
        />
      ) : (
        <input
          id={m.id}
          type="text"
          value={text}
          onInput={onInput}
          aria-invalid={m.invalid}
          aria-describedby={m.describedBy}
        />
      )}
    </Wrap>
  );
}

/**
 * A number input that keeps what the planner types ("0." on the way to "0.5") and writes the number
 * to the draft; it follows the draft when the JSON view changes the value.
 */
export function NumberField(
  props: BaseProps & {
    readonly min?: number;
    readonly max?: number;
    readonly step?: number | 'any';
    /** The API's default, shown while the field is empty. */
    readonly placeholder?: string;
  },
) {
  const { draft, set } = useForm();
  const m = useFieldMeta(props.path, props.hint);
  const value = getIn(draft, props.path);
  const external = value === undefined || value === null ? '' : String(value);
  const [text, setText] = useState(external);
  useEffect(() => {
    const mine = numberFromInput(text);
    if ((mine ?? '') !== (value ?? '')) setText(external);
  }, [external]);
  return (
    <Wrap {...m} label={props.label} hideLabel={props.hideLabel} hint={props.hint} class={props.class}>
      <input
        id={m.id}
        type="number"
        inputMode="decimal"
        min={props.min}
        max={props.max}
        step={props.step ?? 'any'}
        placeholder={props.placeholder}
        value={text}
        onInput={(e) => {
          const v = (e.currentTarget as HTMLInputElement).value;
          setText(v);
          set(props.path, numberFromInput(v));
        }}
        aria-invalid={m.invalid}
        aria-describedby={m.describedBy}
      />
    </Wrap>
  );
}

export interface Option {
  readonly value: string;
  readonly label: string;
}

export function SelectField(
  props: BaseProps & { readonly options: readonly Option[]; readonly optional?: string },
) {
  const { draft, set } = useForm();
  const m = useFieldMeta(props.path, props.hint);
  const value = getIn(draft, props.path);
  const text = value === undefined || value === null ? '' : String(value);
  const known = props.options.some((o) => o.value === text);
  return (
    <Wrap {...m} label={props.label} hideLabel={props.hideLabel} hint={props.hint} class={props.class}>
      <select
        id={m.id}
        value={text}
        onChange={(e) => {
          const v = (e.currentTarget as HTMLSelectElement).value;
          set(props.path, v === '' ? undefined : v);
        }}
        aria-invalid={m.invalid}
        aria-describedby={m.describedBy}
      >
        {props.optional !== undefined && <option value="">{props.optional}</option>}
        {!known && text !== '' && <option value={text}>{text} (unknown)</option>}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Wrap>
  );
}

/** A flag: checked writes true, unchecked writes false (the API's own defaults stay visible in JSON). */
export function CheckField(props: BaseProps) {
  const { draft, set } = useForm();
  const m = useFieldMeta(props.path, props.hint);
  const value: Json | undefined = getIn(draft, props.path);
  return (
    <div class={`check ${props.class ?? ''}`}>
      <input
        id={m.id}
        type="checkbox"
        checked={value === true}
        onChange={(e) => set(props.path, (e.currentTarget as HTMLInputElement).checked)}
        aria-invalid={m.invalid}
        aria-describedby={m.describedBy}
      />
      <label for={m.id}>{props.label}</label>
      <FieldError id={m.errorId} messages={m.errors} />
    </div>
  );
}

/** A fieldset whose own messages (a sum, a missing item) are shown at its top and named by it. */
export function Group(props: {
  readonly path: Path;
  readonly legend: ComponentChildren;
  readonly hint?: ComponentChildren;
  readonly class?: string;
  readonly children: ComponentChildren;
}) {
  const { messages } = useForm();
  const key = issueKey(props.path);
  const id = fieldId(key);
  const errors = messages.get(key);
  return (
    <fieldset
      id={id}
      class={`group ${props.class ?? ''}`}
      tabIndex={-1}
      aria-describedby={errors?.length ? `${id}-error` : undefined}
    >
      <legend>{props.legend}</legend>
      {props.hint && <p class="hint">{props.hint}</p>}
      <FieldError id={`${id}-error`} messages={errors} />
      {props.children}
    </fieldset>
  );
}
