<?php
// The official image serves Adminer at `/`; Debian's package ships it as adminer.php.
require __DIR__ . '/adminer.php';
