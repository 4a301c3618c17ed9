/** Webview entry: mounts the graph editor. */
import '@xyflow/react/dist/style.css';
import './styles.css';
import { ReactFlowProvider } from '@xyflow/react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <ReactFlowProvider>
      <App />
    </ReactFlowProvider>,
  );
}
