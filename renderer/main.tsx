import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { connect } from './api/client';
import { pageFromHash, preloadPage } from './pages';
// antd's component styles, prebuilt (App.tsx sets zeroRuntime).
import 'antd/dist/antd.css';
import './global.css';

// The WebSocket and the first page's chunk are on their way while React renders the shell.
const client = connect();
preloadPage(pageFromHash());

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App client={client} />
  </StrictMode>,
);
