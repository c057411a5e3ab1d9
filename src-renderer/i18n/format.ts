// Fills a message's placeholders: {name} is the parameter, {name|one|other} the English word
// for one ("1 try left") or any other number ("2 tries left").
export function fillMessage(template: string, params: Record<string, string | number>): string {
  return template
    .replace(/\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/g, (_, name: string, one: string, other: string) =>
      Number(params[name]) === 1 ? one : other,
    )
    .replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
