// The project folder around a .env (issue 13 item 4): a checkout holds more than its settings.
// A README, the manifest of the project's language, a .gitignore that keeps .env out, and the
// entry point that reads the variables the .env sets. Files are sized like real ones (the
// source a few KB), so a folder does not hold only the lure.
import { between, pick, sample, type Rng } from '../rng/stream.js';
import { basename, dirname } from './common.js';
import type { CanaryContext, PlantedFile } from './types.js';

type Lang = 'node' | 'python' | 'go' | 'php';

function envKeys(env: string): string[] {
  return [...env.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!);
}

function nodeFiles(project: string, keys: string[], rng: Rng): PlantedFile[] {
  const deps = sample(rng, ['express@^4.19.2', 'pg@^8.11.5', 'mysql2@^3.9.7', 'ioredis@^5.4.1', 'dotenv@^16.4.5', 'pino@^9.1.0', 'jsonwebtoken@^9.0.2', 'nodemailer@^6.9.13', 'axios@^1.7.2', 'zod@^3.23.8'], between(rng, 4, 7));
  const dep = deps.map((d) => {
    const at = d.lastIndexOf('@');
    return `    "${d.slice(0, at)}": "${d.slice(at + 1)}"`;
  });
  const pkg = `{\n  "name": "${project}",\n  "version": "${between(rng, 0, 3)}.${between(rng, 0, 19)}.${between(rng, 0, 9)}",\n  "private": true,\n  "main": "src/index.js",\n  "scripts": {\n    "start": "node src/index.js",\n    "dev": "node --watch src/index.js",\n    "test": "node --test test/"\n  },\n  "engines": {\n    "node": ">=${pick(rng, [18, 20])}"\n  },\n  "dependencies": {\n${dep.join(',\n')}\n  }\n}\n`;
  const lines = ["'use strict';", '', "require('dotenv').config();", '', "const express = require('express');", '', 'const config = {'];
  for (const k of keys) lines.push(`  ${k.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())}: process.env.${k},`);
  lines.push('};', '', 'const app = express();', 'app.use(express.json());', '');
  lines.push("app.get('/health', (req, res) => {", "  res.json({ status: 'ok', env: config.appEnv });", '});', '');
  for (const r of sample(rng, ['orders', 'users', 'reports', 'invoices', 'jobs', 'events'], between(rng, 2, 4))) {
    lines.push(`app.get('/api/${r}', async (req, res, next) => {`, '  try {', `    const rows = await req.app.locals.db.query('SELECT * FROM ${r} ORDER BY id DESC LIMIT 100');`, '    res.json(rows);', '  } catch (err) {', '    next(err);', '  }', '});', '');
  }
  lines.push('app.use((err, req, res, next) => {', '  console.error(err);', "  res.status(500).json({ error: 'internal error' });", '});', '', 'const port = Number(config.port) || 3000;', 'app.listen(port, () => {', '  console.log(`listening on ${port}`);', '});');
  return [
    { path: 'package.json', mode: '0644', data: pkg },
    { path: 'src/index.js', mode: '0644', data: lines.join('\n') + '\n' },
  ];
}

function pythonFiles(project: string, keys: string[], rng: Rng): PlantedFile[] {
  const reqs = sample(rng, ['flask==3.0.3', 'gunicorn==22.0.0', 'psycopg2-binary==2.9.9', 'PyMySQL==1.1.0', 'redis==5.0.4', 'python-dotenv==1.0.1', 'requests==2.32.3', 'SQLAlchemy==2.0.30', 'PyJWT==2.8.0', 'boto3==1.34.120'], between(rng, 4, 7)).sort();
  const mod = project.replace(/[^a-z0-9]+/g, '_') || 'app';
  const lines = ['import os', '', 'from dotenv import load_dotenv', 'from flask import Flask, jsonify', '', 'load_dotenv()', '', ''];
  lines.push('class Config:');
  for (const k of keys) lines.push(`    ${k} = os.environ.get("${k}")`);
  lines.push('', '', 'app = Flask(__name__)', 'app.config.from_object(Config)', '', '');
  lines.push('@app.route("/health")', 'def health():', '    return jsonify(status="ok", env=app.config["APP_ENV"])', '', '');
  for (const r of sample(rng, ['orders', 'users', 'reports', 'invoices', 'jobs', 'events'], between(rng, 2, 4))) {
    lines.push(`@app.route("/api/${r}")`, `def list_${r}():`, `    rows = db_query("SELECT * FROM ${r} ORDER BY id DESC LIMIT 100")`, '    return jsonify(rows)', '', '');
  }
  lines.push('def db_query(sql):', '    from sqlalchemy import create_engine, text', '', '    engine = create_engine(os.environ["DATABASE_URL"], pool_pre_ping=True)', '    with engine.connect() as conn:', '        return [dict(r._mapping) for r in conn.execute(text(sql))]', '', '');
  lines.push('if __name__ == "__main__":', '    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "8000")))');
  return [
    { path: 'requirements.txt', mode: '0644', data: reqs.join('\n') + '\n' },
    { path: `${mod}/app.py`, mode: '0644', data: lines.join('\n') + '\n' },
    { path: `${mod}/__init__.py`, mode: '0644', data: '' },
  ];
}

function goFiles(project: string, keys: string[], rng: Rng): PlantedFile[] {
  const mod = `${pick(rng, ['git', 'code', 'src'])}.internal/${project}`;
  const gomod = `module ${mod}\n\ngo 1.${between(rng, 20, 22)}\n\nrequire (\n\tgithub.com/jackc/pgx/v5 v5.5.${between(rng, 1, 5)}\n\tgithub.com/joho/godotenv v1.5.1\n)\n`;
  const lines = ['package main', '', 'import (', '\t"encoding/json"', '\t"log"', '\t"net/http"', '\t"os"', '', '\t"github.com/joho/godotenv"', ')', '', 'type config struct {'];
  for (const k of keys) lines.push(`\t${k.toLowerCase().replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase())} string`);
  lines.push('}', '', 'func load() config {', '\t_ = godotenv.Load()', '\treturn config{');
  for (const k of keys) lines.push(`\t\t${k.toLowerCase().replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase())}: os.Getenv("${k}"),`);
  lines.push('\t}', '}', '', 'func main() {', '\tcfg := load()', '\thttp.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {', '\t\tjson.NewEncoder(w).Encode(map[string]string{"status": "ok"})', '\t})', '\tport := cfg.Port', '\tif port == "" {', '\t\tport = "8080"', '\t}', '\tlog.Printf("listening on :%s", port)', '\tlog.Fatal(http.ListenAndServe(":"+port, nil))', '}');
  return [
    { path: 'go.mod', mode: '0644', data: gomod },
    { path: 'main.go', mode: '0644', data: lines.join('\n') + '\n' },
  ];
}

function phpFiles(project: string, keys: string[], rng: Rng): PlantedFile[] {
  const composer = `{\n    "name": "internal/${project}",\n    "type": "project",\n    "require": {\n        "php": "^8.${between(rng, 1, 3)}",\n        "vlucas/phpdotenv": "^5.6",\n        "monolog/monolog": "^3.6"\n    },\n    "autoload": {\n        "psr-4": { "App\\\\": "src/" }\n    }\n}\n`;
  const lines = ['<?php', '', "require __DIR__ . '/../vendor/autoload.php';", '', '$dotenv = Dotenv\\Dotenv::createImmutable(dirname(__DIR__));', '$dotenv->load();', '', '$config = ['];
  for (const k of keys) lines.push(`    '${k.toLowerCase()}' => $_ENV['${k}'] ?? null,`);
  lines.push('];', '', "header('Content-Type: application/json');", "if ($_SERVER['REQUEST_URI'] === '/health') {", "    echo json_encode(['status' => 'ok']);", '    exit;', '}', "http_response_code(404);", "echo json_encode(['error' => 'not found']);");
  return [
    { path: 'composer.json', mode: '0644', data: composer },
    { path: 'public/index.php', mode: '0644', data: lines.join('\n') + '\n' },
  ];
}

/** The project files beside a `.env` (only the first .env of a folder gets them). */
export function projectTree(ctx: CanaryContext, body: Uint8Array | string): PlantedFile[] {
  if (basename(ctx.path) !== '.env') return [];
  const rng = ctx.rng;
  const root = dirname(ctx.path);
  const project = basename(root);
  const env = String(body);
  const keys = envKeys(env);
  const known = ctx.org?.projects.find((p) => p.name === project)?.language;
  const lang: Lang = known === 'node' || known === 'python' || known === 'go' || known === 'php' ? known : pick(rng, ['node', 'node', 'python', 'python', 'go', 'php'] as const);
  const files = lang === 'node' ? nodeFiles(project, keys, rng) : lang === 'python' ? pythonFiles(project, keys, rng) : lang === 'go' ? goFiles(project, keys, rng) : phpFiles(project, keys, rng);
  const title = project.replace(/[-_]+/g, ' ');
  const run = lang === 'node' ? 'npm ci\nnpm start' : lang === 'python' ? 'python3 -m venv .venv\n. .venv/bin/activate\npip install -r requirements.txt\nflask --app ' + (project.replace(/[^a-z0-9]+/g, '_') || 'app') + '.app run' : lang === 'go' ? 'go run .' : 'composer install\nphp -S 127.0.0.1:8000 -t public';
  const readme = [`# ${title}`, '', pick(rng, [`Service behind ${title}.`, `${title[0]!.toUpperCase()}${title.slice(1)}: the API and its background jobs.`, `Backend for ${title}.`]), '', '## Running locally', '', 'Copy the settings from the vault into `.env` (never commit it), then:', '', '```', run, '```', '', '## Settings', '', ...keys.slice(0, 8).map((k) => `- \`${k}\``), ''].join('\n');
  const ignore = ['.env', '.env.*', ...(lang === 'node' ? ['node_modules/'] : lang === 'python' ? ['.venv/', '__pycache__/', '*.pyc'] : lang === 'go' ? ['/bin/'] : ['vendor/']), '*.log'].join('\n') + '\n';
  return [{ path: 'README.md', mode: '0644', data: readme }, { path: '.gitignore', mode: '0644', data: ignore }, ...files].map((f) => ({ ...f, path: `${root}/${f.path}` }));
}
