/** Provided by VS Code inside a webview (and by the test page). */
declare function acquireVsCodeApi(): {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
};

declare module '*.txt' {
  const text: string;
  export default text;
}

declare module '*.css';
