/** 1234567 -> "1.2 MB": decimal units, as registries and ECR's console show sizes. Shared by the commands that report bytes. */
const formatBytes = (bytes: number | undefined): string => {
  if (bytes === undefined) return '-';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
};

export { formatBytes };
