// The answers of a knowledge transfer — question, text and category tag — as the region's record shows a
// version and the jobcentre's health-information panel shows the snapshot it received.
import { useI18n } from '../../i18n/i18n.tsx';
import { label } from './disclosuresApi.ts';

export function KnowledgeTransferAnswers({ answers }: { answers: readonly { question: string; text: string; category: string }[] }) {
  const { t } = useI18n();
  return (
    <dl className="kt-answers">
      {answers.map((a) => (
        <div key={a.question}>
          <dt>{label(t, 'disclosures.question', a.question)}</dt>
          <dd>
            <p className="kt-text">{a.text}</p>
            <span className="badge badge-small category-badge">{label(t, 'disclosures.category', a.category)}</span>
          </dd>
        </div>
      ))}
    </dl>
  );
}
