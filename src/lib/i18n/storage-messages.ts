/**
 * UI strings of a full disk (spread into ZH / EN in messages.ts; kept apart to keep that file's edits small).
 * Each says what happened to the data, then `{howTo}` (storageFullHowTo): how to make room, naming the app's
 * own buttons, which are filled in as messages so the names always match the buttons.
 */
export const STORAGE_ZH = {
  storageFullImport: '存储空间已满：这个文件没有导入，已保存的数据没有任何改动。{howTo}然后再点一次“{button}”。',
  storageFullScoring: '存储空间已满，评估已停止：已完成的结果都已保存（已评估 {n} / {total}）。{howTo}然后点“{button}”，从中断处接着评估。',
  storageFullRestore: '存储空间已满：没有恢复任何内容，已保存的数据没有任何改动。{howTo}然后再恢复一次。',
  storageFullOther: '存储空间已满：这次的改动没有保存，已保存的数据没有任何改动。{howTo}然后重试。',
  importSaving: '正在保存数据集…',
  restoring: '正在恢复备份…（完成前关闭页面不会留下半个工作区：原有数据保持不变。）',
  storageFullHowTo: '腾出空间的办法：删除不再需要的数据集；或先“{backup}”，再“{wipe}”；或在浏览器设置中为本网站清理或增加存储空间。',
} as const;

export const STORAGE_EN: Record<keyof typeof STORAGE_ZH, string> = {
  storageFullImport:
    'Storage is full: this file was not imported, and nothing already stored was changed. {howTo} Then click “{button}” again.',
  storageFullScoring:
    'Storage is full, so scoring stopped: every finished result is saved ({n} of {total} scored). {howTo} Then click “{button}” to carry on where it stopped.',
  storageFullRestore: 'Storage is full: nothing was restored, and nothing already stored was changed. {howTo} Then restore again.',
  storageFullOther: 'Storage is full: this change was not saved, and nothing already stored was changed. {howTo} Then try again.',
  importSaving: 'Saving the dataset…',
  restoring: 'Restoring the backup… (closing the page before it finishes leaves no half workspace: the data you had stays.)',
  storageFullHowTo:
    'To make room: delete datasets you no longer need; or “{backup}”, then “{wipe}”; or free or raise this site’s storage in the browser’s settings.',
};
