// One spec per canary class; each generator lives in its own module. The engine imports only
// CANARY_SPECS from here.
import type { CanaryClass } from '../inputs/types.js';
import { awsCredsSpec } from './aws-creds.js';
import { envFileSpec } from './env-file.js';
import { fingerprintHtmlSpec, fingerprintSvgSpec } from './fingerprint.js';
import { gitConfigSpec } from './git-config.js';
import { honeydocDocxSpec } from './honeydoc-docx.js';
import { honeydocHtmlSpec } from './honeydoc-html.js';
import { honeydocPdfSpec } from './honeydoc-pdf.js';
import { mysqlDumpSpec } from './mysql-dump.js';
import { sshKeySpec } from './ssh-key.js';
import type { CanarySpec } from './types.js';

export const CANARY_SPECS: Record<CanaryClass, CanarySpec> = {
  canary_aws_creds: awsCredsSpec,
  canary_env_file: envFileSpec,
  canary_git_config: gitConfigSpec,
  canary_ssh_key: sshKeySpec,
  canary_honeydoc: honeydocHtmlSpec,
  canary_honeydoc_docx: honeydocDocxSpec,
  canary_honeydoc_pdf: honeydocPdfSpec,
  canary_mysql_dump: mysqlDumpSpec,
  canary_fingerprint_html: fingerprintHtmlSpec,
  canary_fingerprint_svg: fingerprintSvgSpec,
};
