import type { z } from 'zod';

/** One MCP prompt as data: a named, parameterised request a client (Claude Desktop, an IDE) offers its user. */
export interface PromptDefinition<Shape extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  /** Prompt arguments are strings on the wire (MCP); optional ones may be left out. */
  argsSchema: Shape;
  /** The user message the prompt expands to. */
  text(args: z.output<z.ZodObject<Shape>>): string;
}

/** Infers the argument type from the schema; returns the definition unchanged. */
export function definePrompt<Shape extends z.ZodRawShape>(definition: PromptDefinition<Shape>): PromptDefinition {
  return definition;
}
