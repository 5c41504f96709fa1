/**
 * A small PowerShell checker for the scripts entra-portal writes (no PowerShell runs here). It
 * tokenizes the subset those scripts use — comments, '…' and "…" strings (with $(…) inside),
 * variables, numbers, -Parameters and operators, words, type literals, brackets — and fails, naming
 * the line, on: an unterminated string, comment or bracket; a command that is not in the table given
 * (cmdlet names are Verb-Noun); a parameter the cmdlet does not have, a value parameter without a
 * value; a variable read before it is assigned; an operator or keyword outside the subset.
 * It returns each command with its arguments and the literal assignments, for value assertions.
 */

export type ParamKind = 'switch' | 'value';
export type CmdletTable = Record<string, Record<string, ParamKind>>;

interface Token {
  kind: 'comment' | 'string' | 'expandable' | 'variable' | 'number' | 'parameter' | 'operator' | 'word' | 'type' | 'open' | 'close' | 'sep' | 'newline';
  text: string;
  line: number;
  /** variables read inside an expandable string */
  reads?: string[];
}

export interface CommandUse {
  name: string;
  line: number;
  /** parameter name (as declared in the table) → its argument token text ('' for a switch) */
  params: Record<string, string>;
}

export interface ScriptFacts {
  commands: CommandUse[];
  /** `$Name = <literal>` assignments: the literal's value ('…' unquoted, numbers as text) */
  literals: Record<string, string>;
  /** every variable assigned anywhere */
  assigned: Set<string>;
}

const SINGLE_QUOTES = /['\u2018\u2019\u201a\u201b]/;
const OPERATORS = new Set(['-ne', '-eq', '-not', '-gt', '-lt', '-ge', '-le', '-and', '-or']);
const KEYWORDS = new Set(['if', 'else', 'elseif', 'foreach', 'in', 'throw', 'param']);
const AUTOMATIC = new Set(['null', 'true', 'false', 'psscriptroot', 'erroractionpreference']);
const VERBS = new Set(['get', 'set', 'import', 'join', 'convertto', 'read', 'write', 'out']);
const PAIRS: Record<string, string> = { '(': ')', '{': '}', '[': ']', '@(': ')', '$(': ')' };

class ScriptError extends Error {
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
  }
}

/** The variables an expandable string reads: $Name and those inside $( … ). */
function expandableReads(body: string, line: number): string[] {
  const reads: string[] = [];
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === '`') {
      i++;
      continue;
    }
    if (ch !== '$') continue;
    if (body[i + 1] === '(') {
      let depth = 0;
      let j = i + 1;
      for (; j < body.length; j++) {
        if (body[j] === '(') depth++;
        else if (body[j] === ')' && --depth === 0) break;
      }
      if (depth !== 0) throw new ScriptError(line, 'unterminated $( in a string');
      for (const t of tokenize(body.slice(i + 2, j), line)) {
        if (t.kind === 'variable') reads.push(t.text);
        reads.push(...(t.reads ?? []));
      }
      i = j;
    } else {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(body.slice(i));
      if (m) reads.push(m[1]!.toLowerCase());
    }
  }
  return reads;
}

export function tokenize(src: string, firstLine = 1): Token[] {
  const tokens: Token[] = [];
  let line = firstLine;
  let i = 0;
  const push = (kind: Token['kind'], text: string, extra: Partial<Token> = {}) => tokens.push({ kind, text, line, ...extra });
  while (i < src.length) {
    const rest = src.slice(i);
    const ch = src[i]!;
    if (ch === '\n') {
      push('newline', '\n');
      line++;
      i++;
    } else if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\ufeff') {
      i++;
    } else if (rest.startsWith('<#')) {
      const end = src.indexOf('#>', i + 2);
      if (end < 0) throw new ScriptError(line, 'unterminated <# comment');
      line += src.slice(i, end).split('\n').length - 1;
      i = end + 2;
    } else if (ch === '#') {
      const end = src.indexOf('\n', i);
      push('comment', src.slice(i, end < 0 ? src.length : end));
      i = end < 0 ? src.length : end;
    } else if (SINGLE_QUOTES.test(ch)) {
      // PowerShell ends (and doubles) single-quoted strings on the typographic quotes too
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= src.length || src[j] === '\n') throw new ScriptError(line, 'unterminated single-quoted string');
        if (SINGLE_QUOTES.test(src[j]!)) {
          if (src[j + 1] !== undefined && SINGLE_QUOTES.test(src[j + 1]!)) {
            value += src[j];
            j += 2;
            continue;
          }
          break;
        }
        value += src[j++];
      }
      push('string', value);
      i = j + 1;
    } else if (ch === '"') {
      let j = i + 1;
      let depth = 0;
      for (;;) {
        if (j >= src.length || src[j] === '\n') throw new ScriptError(line, 'unterminated double-quoted string');
        if (src[j] === '`') j += 2;
        else if (src[j] === '$' && src[j + 1] === '(') {
          depth++;
          j += 2;
        } else if (src[j] === '(' && depth > 0) {
          depth++;
          j++;
        } else if (src[j] === ')' && depth > 0) {
          depth--;
          j++;
        } else if (src[j] === '"' && depth === 0) break;
        else j++;
      }
      const body = src.slice(i + 1, j);
      push('expandable', body, { reads: expandableReads(body, line) });
      i = j + 1;
    } else if (rest.startsWith('$(') || rest.startsWith('@(')) {
      push('open', rest.slice(0, 2));
      i += 2;
    } else if (ch === '$') {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
      if (!m) throw new ScriptError(line, `bad variable at "${rest.slice(0, 10)}"`);
      push('variable', m[1]!.toLowerCase());
      i += m[0].length;
    } else if (/[0-9]/.test(ch)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(rest)!;
      push('number', m[0]);
      i += m[0].length;
    } else if (ch === '-' && /^-[A-Za-z]/.test(rest)) {
      const m = /^-[A-Za-z][A-Za-z0-9]*/.exec(rest)!;
      push(OPERATORS.has(m[0].toLowerCase()) ? 'operator' : 'parameter', m[0]);
      i += m[0].length;
    } else if (rest.startsWith('+=') || ch === '=') {
      push('operator', rest.startsWith('+=') ? '+=' : '=');
      i += rest.startsWith('+=') ? 2 : 1;
    } else if (ch === '[' && /^\[[A-Za-z][A-Za-z0-9.]*\]/.test(rest)) {
      const m = /^\[[A-Za-z][A-Za-z0-9.]*\]/.exec(rest)!;
      push('type', m[0]);
      i += m[0].length;
    } else if ('({['.includes(ch)) {
      push('open', ch);
      i++;
    } else if (')}]'.includes(ch)) {
      push('close', ch);
      i++;
    } else if (rest.startsWith('::') || ch === '.' || ch === ',' || ch === ';' || ch === '|') {
      const text = rest.startsWith('::') ? '::' : ch;
      push('sep', text);
      i += text.length;
    } else if (/[A-Za-z]/.test(ch)) {
      const m = /^[A-Za-z][A-Za-z0-9.-]*/.exec(rest)!;
      push('word', m[0]);
      i += m[0].length;
    } else {
      throw new ScriptError(line, `unexpected character ${JSON.stringify(ch)}`);
    }
  }
  return tokens;
}

/** Check `src` against the subset and the cmdlet table; the facts for value assertions. */
export function checkPowerShell(src: string, cmdlets: CmdletTable): ScriptFacts {
  const tokens = tokenize(src).filter((t) => t.kind !== 'comment');
  const stack: Token[] = [];
  for (const t of tokens) {
    if (t.kind === 'open') stack.push(t);
    if (t.kind === 'close') {
      const open = stack.pop();
      if (!open || PAIRS[open.text] !== t.text) throw new ScriptError(t.line, `unbalanced ${t.text}`);
    }
  }
  if (stack.length) throw new ScriptError(stack[stack.length - 1]!.line, `unclosed ${stack[stack.length - 1]!.text}`);

  const facts: ScriptFacts = { commands: [], literals: {}, assigned: new Set() };
  const table = new Map(Object.entries(cmdlets).map(([name, params]) => [name.toLowerCase(), { name, params: new Map(Object.entries(params).map(([p, k]) => [p.toLowerCase(), { p, k }])) }]));
  const read = (name: string, line: number) => {
    if (!AUTOMATIC.has(name) && !facts.assigned.has(name)) throw new ScriptError(line, `$${name} is read before it is assigned`);
  };
  const statementStart = (prev: Token | undefined) => !prev || prev.kind === 'newline' || (prev.kind === 'open' && prev.text === '{') || (prev.kind === 'sep' && (prev.text === ';' || prev.text === '|')) || (prev.kind === 'operator' && prev.text === '=');
  const consumed = new Set<Token>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = tokens[i - 1];
    if (t.kind === 'parameter' && !consumed.has(t)) throw new ScriptError(t.line, `${t.text} is neither a parameter of a command nor an operator this checker knows`);
    if (t.kind === 'variable') {
      const next = tokens[i + 1];
      const isAssignment = next?.kind === 'operator' && next.text === '=' && statementStart(prev);
      const inForeach = prev?.kind === 'open' && tokens[i - 2]?.kind === 'word' && tokens[i - 2]!.text.toLowerCase() === 'foreach';
      if (isAssignment || inForeach) {
        facts.assigned.add(t.text);
        const value = tokens[i + 2];
        const after = tokens[i + 3];
        if (isAssignment && value && (value.kind === 'string' || value.kind === 'number') && (!after || after.kind === 'newline')) facts.literals[t.text] = value.text;
      } else if (!(next?.kind === 'operator' && next.text === '+=')) {
        read(t.text, t.line);
      } else {
        read(t.text, t.line); // += reads the old value
      }
    }
    if (t.kind === 'expandable') for (const v of t.reads ?? []) read(v, t.line);
    if (t.kind === 'word' && statementStart(prev) && !(tokens[i - 1]?.kind === 'sep' && tokens[i - 1]!.text === '.')) {
      const word = t.text.toLowerCase();
      if (KEYWORDS.has(word)) continue;
      const m = /^([a-z]+)-[a-z0-9.]+$/i.exec(t.text);
      if (!m) throw new ScriptError(t.line, `"${t.text}" is neither a keyword nor a Verb-Noun command`);
      if (!VERBS.has(m[1]!.toLowerCase())) throw new ScriptError(t.line, `"${t.text}": verb ${m[1]} is not one this checker knows`);
      const spec = table.get(word);
      if (!spec) throw new ScriptError(t.line, `unknown command ${t.text}`);
      const use: CommandUse = { name: spec.name, line: t.line, params: {} };
      let j = i + 1;
      for (; j < tokens.length; j++) {
        const a = tokens[j]!;
        if (a.kind === 'newline' || (a.kind === 'sep' && (a.text === ';' || a.text === '|')) || a.kind === 'close') break;
        if (a.kind !== 'parameter') continue;
        consumed.add(a);
        const param = spec.params.get(a.text.slice(1).toLowerCase());
        if (!param) throw new ScriptError(a.line, `${spec.name} has no parameter ${a.text}`);
        if (param.p in use.params) throw new ScriptError(a.line, `${spec.name} ${a.text} given twice`);
        if (param.k === 'switch') {
          use.params[param.p] = '';
        } else {
          const v = tokens[j + 1];
          if (!v || !['variable', 'string', 'expandable', 'number', 'word'].includes(v.kind)) throw new ScriptError(a.line, `${spec.name} ${a.text} needs a value`);
          use.params[param.p] = v.kind === 'variable' ? `$${v.text}` : v.text;
          if (v.kind === 'variable') read(v.text, v.line);
          if (v.kind === 'expandable') for (const r of v.reads ?? []) read(r, v.line);
          j++;
        }
      }
      facts.commands.push(use);
    }
  }
  return facts;
}

/**
 * The cmdlets Enable-RestorePortal.ps1 may use, with their parameters as Veeam's and Microsoft's
 * cmdlet references list them (https://helpcenter.veeam.com/docs/vbo365/powershell/).
 */
export const CMDLETS: CmdletTable = {
  'Set-StrictMode': { Version: 'value' },
  'Import-Module': { Name: 'value' },
  'Join-Path': { Path: 'value', ChildPath: 'value' },
  'ConvertTo-SecureString': { String: 'value', AsPlainText: 'switch', Force: 'switch' },
  'Read-Host': { Prompt: 'value', AsSecureString: 'switch' },
  'Set-VBORestAPISettings': {
    EnableService: 'switch',
    AuthTokenLifeTime: 'value',
    HTTPSPort: 'value',
    CertificateFilePath: 'value',
    CertificatePassword: 'value',
    EnableSwaggerUI: 'switch',
    EnableOperatorAuthenticationOnly: 'switch',
  },
  'Set-VBORestorePortalSettings': { EnableService: 'switch', ApplicationId: 'value', CertificateFilePath: 'value', Region: 'value', CertificatePassword: 'value', PortalUri: 'value' },
  'Get-VBORestorePortalSettings': {},
  'Get-VBORestAPISettings': {},
  'Write-Error': { Message: 'value', ErrorAction: 'value' },
  'Write-Host': {},
  'Out-Null': {},
};
