"""Tables in bulk: reading uploaded CSV and XLSX files row by row (``tables``), the dry-run /
apply report every import answers with (``report``), the roster import (``roster``) and the
sign-in sheet import (``signins``)."""
