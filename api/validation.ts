import { z } from 'zod';

// Default messages in Danish: the web UI shows them next to the field, and the API returns the same text.
z.config(z.locales.da());

export interface FieldError {
  field: string;
  reason: string;
  /** The field's Danish label, where the input has a definition that names it. */
  label?: string;
}

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((i) => ({ field: i.path.map(String).join('.') || '(input)', reason: i.message }));
}

/** 400 body for the JSON API: a list of fields and reasons, never a stack trace. */
export function badRequest(errors: FieldError[]) {
  return { error: 'invalid_input', message: 'Ugyldigt input', fields: errors };
}
