import type { DbProjectRow, Tx } from '@al/db';
import type { AgreementReport } from '@al/contract';
import { computeAgreement } from './agreement';
import { loadAnswers } from './finalLabelRows';

/**
 * Agreement over every answer in force (the answers final labels are made of), named: classes
 * are the project's labels, or for multi-label projects each distinct set of options (a|b).
 */
export async function agreementReport(tx: Tx, project: DbProjectRow): Promise<AgreementReport> {
  const loaded = await loadAnswers(tx, project);
  const classNames = project.multi_label
    ? loaded.optionSets.map((set) => set.join('|'))
    : loaded.classes;
  const a = computeAgreement(loaded.answers.group(classNames.length));
  const names = loaded.answers.labellerNames();
  const name = (j: number) => names[j] ?? String(j);
  return {
    items: a.items,
    fleissKappa: a.fleissKappa,
    perClass: a.perClass.map((c) => ({
      label: classNames[c.cls] ?? String(c.cls),
      answers: c.answers,
      specificAgreement: c.specificAgreement,
    })),
    labellers: a.perLabeller
      .map((l) => ({
        name: name(l.labeller),
        answers: l.answers,
        sharedItems: l.sharedItems,
        agreement: l.agreement,
        kappa: l.kappa,
      }))
      .sort((x, y) => y.answers - x.answers || x.name.localeCompare(y.name)),
    pairs: a.pairs.map((p) => ({
      a: name(p.a),
      b: name(p.b),
      shared: p.shared,
      agreement: p.agreement,
      kappa: p.kappa,
    })),
  };
}
