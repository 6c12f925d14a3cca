import { render } from 'preact';
import { setApiBaseUrl } from './api';
import { App } from './app';
import './styles.css';

interface ConsoleConfig {
  readonly api_base_url?: string;
  readonly stage?: string;
}

/** config.json says where the API is (deployed: the stage's API URL; locally: this origin). */
async function loadConfig(): Promise<ConsoleConfig> {
  try {
    const res = await fetch('./config.json', { cache: 'no-store' });
    return res.ok ? ((await res.json()) as ConsoleConfig) : {};
  } catch {
    return {};
  }
}

const config = await loadConfig();
if (config.api_base_url) setApiBaseUrl(config.api_base_url);
render(<App stage={config.stage ?? 'local'} />, document.getElementById('app')!);
