import { Button, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { ArrowDownIcon, ArrowUpIcon, DismissIcon, GripIcon } from './icons';
import { useEffect, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { offerName, type PinnedOffer } from './types';

const useStyles = makeStyles({
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '8px' },
  item: {
    display: 'flex',
    alignItems: 'center',
    gap: '8px',
    padding: '8px 12px',
    borderRadius: tokens.borderRadiusMedium,
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground1,
    cursor: 'grab',
    ':focus-visible': { outlineWidth: '2px', outlineStyle: 'solid', outlineColor: tokens.colorStrokeFocus2, outlineOffset: '2px' },
  },
  dragging: { opacity: 0.5 },
  over: { outlineWidth: '2px', outlineStyle: 'dashed', outlineColor: tokens.colorBrandStroke1, boxShadow: tokens.shadow4 },
  position: { fontWeight: tokens.fontWeightSemibold, minWidth: '1.5em', color: tokens.colorBrandForeground1 },
  title: { flexGrow: 1, minWidth: 0, display: 'flex', flexDirection: 'column' },
  sub: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200, fontFamily: tokens.fontFamilyMonospace },
  handle: { color: tokens.colorNeutralForeground3, flexShrink: 0 },
  hint: { margin: 0, color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  live: { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' },
});

/**
 * "Customize": reorder the pins by drag and drop (native HTML5 drag and drop: a handful of
 * items needs no library) AND by keyboard (Alt+Arrow Up/Down on a focused pin, or its Move up
 * / Move down buttons). Each move is announced in an aria-live region
 * ("Moved X to position 2 of 4"); focus stays on the moved pin.
 */
export function PinOrderEditor({ pins, onChange }: { pins: PinnedOffer[]; onChange: (next: PinnedOffer[]) => void }) {
  const s = useStyles();
  const intl = useIntl();
  const [announcement, setAnnouncement] = useState('');
  const [dragId, setDragId] = useState<string | null>(null);
  const [overId, setOverId] = useState<string | null>(null);
  const items = useRef(new Map<string, HTMLLIElement>());
  const focusAfterMove = useRef<{ id: string; button?: 'up' | 'down' } | null>(null);

  useEffect(() => {
    const f = focusAfterMove.current;
    if (!f) return;
    focusAfterMove.current = null;
    const li = items.current.get(f.id);
    // Keep focus where it was: on the moved pin, or on its button while that button still applies.
    const button = f.button ? li?.querySelector<HTMLButtonElement>(`[data-move="${f.button}"]:not([disabled])`) : null;
    (button ?? li)?.focus();
  }, [pins]);

  const move = (from: number, to: number, button?: 'up' | 'down') => {
    if (to < 0 || to >= pins.length || from === to) return;
    const next = [...pins];
    const [moved] = next.splice(from, 1);
    next.splice(to, 0, moved!);
    focusAfterMove.current = { id: moved!.id, ...(button ? { button } : {}) };
    onChange(next);
    setAnnouncement(intl.formatMessage({ id: 'catalog.customize.moved' }, { title: offerName(moved!), position: to + 1, count: next.length }));
  };

  const remove = (index: number) => {
    const removed = pins[index]!;
    const next = pins.filter((_, i) => i !== index);
    const neighbour = next[Math.min(index, next.length - 1)];
    if (neighbour) focusAfterMove.current = { id: neighbour.id };
    onChange(next);
    setAnnouncement(intl.formatMessage({ id: 'catalog.customize.removed' }, { title: offerName(removed) }));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLLIElement>, index: number) => {
    if (e.target !== e.currentTarget || !e.altKey) return;
    if (e.key === 'ArrowUp') {
      e.preventDefault();
      move(index, index - 1);
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      move(index, index + 1);
    }
  };

  const onDrop = (e: DragEvent<HTMLLIElement>, index: number) => {
    e.preventDefault();
    const id = dragId ?? e.dataTransfer.getData('text/plain');
    const from = pins.findIndex((p) => p.id === id);
    setDragId(null);
    setOverId(null);
    if (from >= 0) move(from, index);
  };

  return (
    <>
      <p className={s.hint} id="catalog-customize-hint">
        <FormattedMessage id="catalog.customize.hint" />
      </p>
      <ol className={s.list} aria-describedby="catalog-customize-hint" data-testid="pin-order">
        {pins.map((p, i) => (
          <li
            key={p.id}
            ref={(el) => {
              if (el) items.current.set(p.id, el);
              else items.current.delete(p.id);
            }}
            className={mergeClasses(s.item, dragId === p.id && s.dragging, overId === p.id && dragId !== p.id && s.over)}
            tabIndex={0}
            draggable
            data-testid="pin-order-item"
            data-offer-id={p.id}
            aria-label={intl.formatMessage({ id: 'catalog.customize.itemLabel' }, { title: offerName(p), position: i + 1, count: pins.length })}
            onKeyDown={(e) => onKeyDown(e, i)}
            onDragStart={(e) => {
              setDragId(p.id);
              e.dataTransfer.effectAllowed = 'move';
              e.dataTransfer.setData('text/plain', p.id);
            }}
            onDragEnd={() => {
              setDragId(null);
              setOverId(null);
            }}
            onDragOver={(e) => {
              e.preventDefault();
              e.dataTransfer.dropEffect = 'move';
              if (overId !== p.id) setOverId(p.id);
            }}
            onDrop={(e) => onDrop(e, i)}
          >
            <span className={s.handle}>
              <GripIcon />
            </span>
            <span className={s.position} aria-hidden>
              {i + 1}
            </span>
            <span className={s.title}>
              <span>{offerName(p)}</span>
              <span className={s.sub}>{p.id}</span>
            </span>
            <Button
              size="small"
              appearance="subtle"
              icon={<ArrowUpIcon />}
              data-move="up"
              disabled={i === 0}
              aria-label={intl.formatMessage({ id: 'catalog.customize.moveUp' }, { title: offerName(p) })}
              title={intl.formatMessage({ id: 'catalog.customize.moveUpShort' })}
              onClick={() => move(i, i - 1, 'up')}
            />
            <Button
              size="small"
              appearance="subtle"
              icon={<ArrowDownIcon />}
              data-move="down"
              disabled={i === pins.length - 1}
              aria-label={intl.formatMessage({ id: 'catalog.customize.moveDown' }, { title: offerName(p) })}
              title={intl.formatMessage({ id: 'catalog.customize.moveDownShort' })}
              onClick={() => move(i, i + 1, 'down')}
            />
            <Button
              size="small"
              appearance="subtle"
              icon={<DismissIcon />}
              aria-label={intl.formatMessage({ id: 'catalog.unpinNamed' }, { title: offerName(p) })}
              title={intl.formatMessage({ id: 'catalog.unpin' })}
              onClick={() => remove(i)}
            />
          </li>
        ))}
      </ol>
      <div className={s.live} aria-live="polite" role="status" data-testid="pin-announcement">
        {announcement}
      </div>
    </>
  );
}
