"""Tables in bulk: reading uploaded CSV and XLSX files row by row (``tables``), the dry-run /
apply report every import answers with (``report``), and the roster import (``roster``)."""
