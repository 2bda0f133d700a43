declare module 'dynalite' {
  import type { Server } from 'node:http';

  /** dynalite: an in-memory DynamoDB on an HTTP server. */
  export default function dynalite(options?: {
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
  }): Server;
}
