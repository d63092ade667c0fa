"""周排名 / 月考核 pages and exports (staff) and the public 日公布 page."""
